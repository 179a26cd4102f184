import type { ProxyRoute } from '@berth/contract';
import { MoreHorizontal } from 'lucide-react';
import { Link } from 'react-router';
import { hostPath } from '../../app/host-paths.js';
import { Menu, type MenuItem } from '../../components/Menu.js';
import { Badge, EmptyRow } from '../../components/ui.js';
import {
  addressText,
  APPLIED_LABELS,
  appliedTone,
  certificateText,
  sourceText,
  targetPage,
  targetText,
  TLS_CHOICES,
  wakeFacts,
  wakeTone,
} from './proxy-view.js';

export interface RouteActions {
  /** Admins change routes made through the API; everyone else (and label routes) views them. */
  canEdit: boolean;
  /** Opens the route: the edit dialog, or read-only. */
  onEdit: (route: ProxyRoute) => void;
  onRemove?: ((route: ProxyRoute) => void) | undefined;
  /** Users who may write to the target's host (wake routes only). */
  onWake?: ((route: ProxyRoute) => void) | undefined;
  onSleep?: ((route: ProxyRoute) => void) | undefined;
}

const tlsLabel = (route: ProxyRoute): string =>
  TLS_CHOICES.find((c) => c.value === route.tls)?.label ?? route.tls;

/** A route's hostnames as the links it answers on (a new tab: it is another site). */
function Addresses({ route }: { route: ProxyRoute }) {
  const urls = route.urls.length > 0 ? route.urls : route.hostnames;
  return (
    <span className="stacked">
      {urls.map((url) => (
        <a key={url} href={url} target="_blank" rel="noreferrer" className="route-url">
          {addressText(url)}
        </a>
      ))}
    </span>
  );
}

function Tls({ route }: { route: ProxyRoute }) {
  return (
    <span className="stacked">
      <span>{tlsLabel(route)}</span>
      {route.tls !== 'off' &&
        route.certificates.map((c) => {
          const { text, tone } = certificateText(c);
          return (
            <span
              key={c.hostname}
              className={tone === 'bad' ? 'error-text' : 'muted'}
              title={[c.issuer, c.reason].filter(Boolean).join(': ')}
            >
              {route.certificates.length > 1 ? `${c.hostname}: ` : ''}
              {text}
            </span>
          );
        })}
    </span>
  );
}

function Wake({ route }: { route: ProxyRoute }) {
  const w = route.wake;
  if (!w) return <span className="muted">always on</span>;
  return (
    <span className="stacked" data-testid="route-wake" data-state={w.state}>
      <span>
        <Badge tone={wakeTone(w.state)}>{w.state}</Badge>{' '}
        <span className="muted">after {w.idleMinutes} min idle</span>
      </span>
      <span className="muted">{wakeFacts(w).join(' · ')}</span>
    </span>
  );
}

/** Routes, one a row: addresses, target, TLS and certificate, applied or why not, wake, source. */
export function RouteTable({
  routes,
  loading,
  actions,
}: {
  routes: ProxyRoute[];
  loading: boolean;
  actions: RouteActions;
}) {
  return (
    <div className="list-scroll">
      <table className="list proxy-routes" aria-label="Routes" data-testid="route-list">
        <thead>
          <tr>
            <th scope="col">Hostnames</th>
            <th scope="col">Target</th>
            <th scope="col" className="c-wide">
              TLS
            </th>
            <th scope="col">Applied</th>
            <th scope="col">Wake</th>
            <th scope="col" className="c-wide">
              Source
            </th>
            <th scope="col" className="c-actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {routes.length === 0 && (
            <EmptyRow
              columns={7}
              total={0}
              none={loading ? 'Loading…' : 'No routes yet.'}
              noMatch=""
            />
          )}
          {routes.map((r) => {
            const name = r.hostnames[0] ?? r.id;
            const items: MenuItem[] = [
              {
                label: actions.canEdit && r.source.type === 'api' ? 'Edit…' : 'View…',
                onSelect: () => actions.onEdit(r),
              },
              ...(r.wake && actions.onWake && r.wake.state !== 'awake'
                ? [{ label: 'Wake now', onSelect: () => actions.onWake?.(r) }]
                : []),
              ...(r.wake && actions.onSleep && r.wake.state === 'awake'
                ? [{ label: 'Sleep now', onSelect: () => actions.onSleep?.(r) }]
                : []),
              ...(actions.onRemove && r.source.type === 'api'
                ? [{ label: 'Remove…', danger: true, onSelect: () => actions.onRemove?.(r) }]
                : []),
            ];
            return (
              <tr
                key={r.id}
                data-testid="route-row"
                data-hostname={name}
                data-applied={r.applied.state}
              >
                <th scope="row">
                  <Addresses route={r} />
                  {r.pathPrefix && <span className="muted"> {r.pathPrefix}*</span>}
                </th>
                <td className="route-target">
                  <Link to={hostPath(r.target.host, targetPage(r.target))}>
                    {targetText(r.target)}
                  </Link>
                  {r.upstreams.length > 1 && (
                    <span className="muted"> · {r.upstreams.length} replicas</span>
                  )}
                </td>
                <td className="c-wide">
                  <Tls route={r} />
                </td>
                <td>
                  <span className="stacked">
                    <span>
                      <Badge tone={appliedTone(r.applied.state)}>
                        {APPLIED_LABELS[r.applied.state]}
                      </Badge>
                    </span>
                    {r.applied.reason && (
                      <span className="error-text" data-testid="route-reason">
                        {r.applied.reason}
                      </span>
                    )}
                  </span>
                </td>
                <td>
                  <Wake route={r} />
                </td>
                <td className="c-wide">{sourceText(r.source)}</td>
                <td className="c-actions">
                  <Menu
                    label={`Actions for ${name}`}
                    trigger={<MoreHorizontal size={16} aria-hidden />}
                    items={items}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
