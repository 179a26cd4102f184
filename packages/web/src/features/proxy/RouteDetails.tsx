import type { ProxyRoute } from '@berth/contract';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Dialog, DialogClose } from '../../components/Dialog.js';
import { Button } from '../../components/ui.js';
import { certificateText, sourceText, targetText, TLS_CHOICES, wakeFacts } from './proxy-view.js';

function authText(route: ProxyRoute): string {
  const a = route.auth;
  if (a.type === 'basic') return `basic auth: ${a.usernames.join(', ')}`;
  if (a.type === 'berth') return `Berth login, at least ${a.minRole}`;
  return 'none';
}

const headerText = (headers: Record<string, string>): string =>
  Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ') || 'none';

/**
 * A route shown, not changed: to viewers, and for a route declared by labels (it changes with
 * its labels, so the note says where they are).
 */
export function RouteDetails({ route, onClose }: { route: ProxyRoute; onClose: () => void }) {
  const source = route.source;
  return (
    <Dialog
      title={route.hostnames[0] ?? 'Route'}
      side
      open
      onOpenChange={(open) => !open && onClose()}
    >
      {source.type === 'labels' && (
        <p className="notice" data-testid="label-route-note">
          Declared by {sourceText(source)} — change the labels (<code>io.berth.proxy.host</code>,{' '}
          <code>io.berth.proxy.port</code>, <code>io.berth.proxy.wake</code>) to change it.
        </p>
      )}
      <dl className="facts proxy-facts">
        <dt>Hostnames</dt>
        <dd>{route.hostnames.join(', ')}</dd>
        <dt>Path</dt>
        <dd>{route.pathPrefix ?? 'all'}</dd>
        <dt>Target</dt>
        <dd>
          {targetText(route.target)} (via {route.target.via})
        </dd>
        <dt>Upstreams</dt>
        <dd>{route.upstreams.map((u) => u.dial).join(', ') || 'none'}</dd>
        <dt>TLS</dt>
        <dd>{TLS_CHOICES.find((c) => c.value === route.tls)?.label ?? route.tls}</dd>
        <dt>Certificates</dt>
        <dd>
          {route.certificates
            .map((c) => {
              const { text } = certificateText(c);
              return `${c.hostname}: ${text}${c.reason ? ` (${c.reason})` : ''}`;
            })
            .join('; ') || 'none'}
        </dd>
        <dt>Access</dt>
        <dd>{authText(route)}</dd>
        <dt>Request headers</dt>
        <dd>{headerText(route.headers.request)}</dd>
        <dt>Response headers</dt>
        <dd>{headerText(route.headers.response)}</dd>
        <dt>Compression</dt>
        <dd>{route.compress ? 'on' : 'off'}</dd>
        <dt>Wake</dt>
        <dd>
          {route.wake
            ? `after ${route.wake.idleMinutes} min idle; ${wakeFacts(route.wake).join(', ')}`
            : 'always on'}
        </dd>
        <dt>Enabled</dt>
        <dd>{route.enabled ? 'yes' : 'no'}</dd>
      </dl>
      <CommandBlock command={route.cli} label="Caddyfile equivalent" />
      <div className="dialog-actions">
        <DialogClose asChild>
          <Button>Close</Button>
        </DialogClose>
      </div>
    </Dialog>
  );
}
