import type { ProxyState } from '@berth/contract';
import { age, longTime } from '../../components/time.js';
import { Badge, countOf } from '../../components/ui.js';
import { certificateText } from './proxy-view.js';

/**
 * The proxy at a glance: whether Berth reaches Caddy's admin API (and, when not, why and how
 * to point Berth at it), its version, the server Berth's routes are in, routes applied or not.
 */
export function ProxyBanner({ state }: { state: ProxyState }) {
  const { routes } = state;
  const certificates = state.certificates.map((c) => ({ c, ...certificateText(c) }));
  const failing = certificates.filter((c) => c.tone === 'bad' || c.tone === 'warn');
  return (
    <section
      className={`notice proxy-banner ${state.reachable ? 'proxy-banner-ok' : 'proxy-banner-down'}`}
      aria-label="Proxy state"
      data-testid="proxy-state"
      data-reachable={state.reachable}
    >
      <p className="proxy-banner-head">
        <Badge tone={state.reachable ? 'good' : 'bad'}>
          {state.reachable ? 'Caddy reachable' : 'Caddy unreachable'}
        </Badge>{' '}
        <span>
          admin API at <code>{state.admin}</code>
        </span>
        {state.version && <span className="muted"> · Caddy {state.version}</span>}
        {state.server && <span className="muted"> · server {state.server}</span>}
        {state.checkedAt && (
          <span className="muted" title={longTime.format(new Date(state.checkedAt))}>
            {' '}
            · checked {age(state.checkedAt)}
          </span>
        )}
      </p>
      {!state.reachable && (
        <p data-testid="proxy-reason">
          {state.reason ?? 'No answer from the admin API.'} Start Caddy with its admin API on, or
          set <code>BERTH_CADDY_ADMIN</code> to where it listens (<code>http://127.0.0.1:2019</code>{' '}
          or <code>unix:///run/caddy/admin.sock</code>) and restart Berth.
        </p>
      )}
      <p data-testid="proxy-counts">
        {countOf(routes.total, 'route')}: {routes.applied} applied
        {routes.notApplied > 0 && (
          <>
            , <strong className="error-text">{routes.notApplied} not applied</strong>
          </>
        )}
        {state.listen.length > 0 && (
          <span className="muted"> · listening on {state.listen.join(', ')}</span>
        )}
      </p>
      {failing.length > 0 && (
        <ul className="plain">
          {failing.map(({ c, text, tone }) => (
            <li key={c.hostname}>
              <Badge tone={tone}>certificate</Badge> {c.hostname}: {text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
