import type { Host } from '@berth/contract';
import * as RadixMenu from '@radix-ui/react-dropdown-menu';
import { Check, ChevronsUpDown, Globe, Server } from 'lucide-react';

/** Hosts under each of their labels, in label order; unlabelled ones last. Empty: no labels. */
export function groupByLabel(hosts: readonly Host[]): { label: string | null; hosts: Host[] }[] {
  if (!hosts.some((h) => h.labels.length > 0)) return [{ label: null, hosts: [...hosts] }];
  const groups = new Map<string | null, Host[]>();
  for (const label of [...new Set(hosts.flatMap((h) => h.labels))].sort()) groups.set(label, []);
  for (const host of hosts) {
    // A host is listed once, under its first label, so each entry stays one choice.
    const label = [...host.labels].sort()[0] ?? null;
    groups.set(label, [...(groups.get(label) ?? []), host]);
  }
  return [...groups]
    .filter(([, list]) => list.length > 0)
    .map(([label, list]) => ({ label, hosts: list }));
}

/** "unreachable since 10:12: connection refused", for the dot's label and tooltip. */
export function hostState(host: Host): string {
  if (host.reachable) return 'reachable';
  const since = new Date(host.since).toLocaleTimeString([], { hour12: false });
  return `unreachable since ${since}${host.error ? `: ${host.error}` : ''}`;
}

function StateDot({ host }: { host: Host }) {
  const state = hostState(host);
  return (
    <span
      className={`status-dot ${host.reachable ? 'status-good' : 'status-bad'}`}
      title={state}
      aria-hidden
    />
  );
}

/**
 * Which Docker host the pages show: the hosts the user may see, each with its state, grouped by
 * label when there are labels, and "All hosts". With one host it is just that host's name.
 */
export function HostSwitcher({
  current,
  hosts,
  connected,
  onSelect,
  onAllHosts,
}: {
  current: string;
  hosts: readonly Host[];
  /** The live event stream of the current host is up. */
  connected: boolean;
  onSelect: (host: string) => void;
  onAllHosts: () => void;
}) {
  const shown = hosts.find((h) => h.id === current);
  const good = connected && (shown?.reachable ?? true);
  const label = `Host: ${current}${connected ? '' : ' (reconnecting)'}${shown && !shown.reachable ? ' (unreachable)' : ''}`;
  const face = (
    <>
      <Server size={16} aria-hidden />
      <span className="host-name">{current}</span>
      <span className={`status-dot ${good ? 'status-good' : 'status-warn'}`} aria-hidden />
    </>
  );
  if (hosts.length <= 1) {
    return (
      <div className="host-switcher host-switcher-single" title={label} data-testid="host-switcher">
        <span className="sr-only">{label}</span>
        <span aria-hidden className="host-switcher-face">
          {face}
        </span>
      </div>
    );
  }
  return (
    <RadixMenu.Root modal={false}>
      <RadixMenu.Trigger className="host-switcher" aria-label={label} data-testid="host-switcher">
        {face}
        <ChevronsUpDown size={14} aria-hidden className="muted" />
      </RadixMenu.Trigger>
      <RadixMenu.Portal>
        <RadixMenu.Content className="menu host-menu" align="start" sideOffset={4}>
          <RadixMenu.Item className="menu-item" onSelect={onAllHosts}>
            <Globe size={16} aria-hidden />
            <span className="menu-item-text">All hosts</span>
          </RadixMenu.Item>
          <RadixMenu.Separator className="menu-separator" />
          <RadixMenu.RadioGroup value={current} onValueChange={onSelect}>
            {groupByLabel(hosts).map((group) => (
              <RadixMenu.Group key={group.label ?? ''}>
                <RadixMenu.Label className="menu-label">
                  {group.label ?? (hosts.some((h) => h.labels.length > 0) ? 'No label' : 'Hosts')}
                </RadixMenu.Label>
                {group.hosts.map((host) => (
                  <RadixMenu.RadioItem key={host.id} value={host.id} className="menu-item">
                    <StateDot host={host} />
                    <span className="menu-item-text">
                      {host.id}
                      <span className="sr-only">, {hostState(host)}</span>
                    </span>
                    {!host.reachable && <span className="muted small">unreachable</span>}
                    <RadixMenu.ItemIndicator>
                      <Check size={16} aria-hidden />
                    </RadixMenu.ItemIndicator>
                  </RadixMenu.RadioItem>
                ))}
              </RadixMenu.Group>
            ))}
          </RadixMenu.RadioGroup>
        </RadixMenu.Content>
      </RadixMenu.Portal>
    </RadixMenu.Root>
  );
}
