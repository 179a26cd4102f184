import * as RadixMenu from '@radix-ui/react-dropdown-menu';
import { Check, ChevronsUpDown, Server } from 'lucide-react';

/**
 * Which Docker host the pages show. One host today ("local"); the many-hosts work gives it the
 * list and `onSelect`, and the pages read the choice instead of the HOST constant.
 */
export function HostSwitcher({
  current,
  hosts = [current],
  connected,
  onSelect,
}: {
  current: string;
  hosts?: string[];
  /** The live event stream of the current host is up. */
  connected: boolean;
  onSelect?: (host: string) => void;
}) {
  return (
    <RadixMenu.Root modal={false}>
      <RadixMenu.Trigger
        className="host-switcher"
        aria-label={`Host: ${current}${connected ? '' : ' (reconnecting)'}`}
        data-testid="host-switcher"
      >
        <Server size={16} aria-hidden />
        <span className="host-name">{current}</span>
        <span className={`status-dot ${connected ? 'status-good' : 'status-warn'}`} aria-hidden />
        <ChevronsUpDown size={14} aria-hidden className="muted" />
      </RadixMenu.Trigger>
      <RadixMenu.Portal>
        <RadixMenu.Content className="menu" align="start" sideOffset={4}>
          <RadixMenu.Label className="menu-label">Hosts</RadixMenu.Label>
          <RadixMenu.RadioGroup value={current} onValueChange={(host) => onSelect?.(host)}>
            {hosts.map((host) => (
              <RadixMenu.RadioItem key={host} value={host} className="menu-item">
                <Server size={16} aria-hidden />
                <span className="menu-item-text">{host}</span>
                <RadixMenu.ItemIndicator>
                  <Check size={16} aria-hidden />
                </RadixMenu.ItemIndicator>
              </RadixMenu.RadioItem>
            ))}
          </RadixMenu.RadioGroup>
        </RadixMenu.Content>
      </RadixMenu.Portal>
    </RadixMenu.Root>
  );
}
