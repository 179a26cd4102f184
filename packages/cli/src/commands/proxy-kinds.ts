import type { ProxyRoute } from '@berth/contract';
import { age, type Column } from '../core/output.js';
import { kind, orGone, relative, type AnyKind } from './kinds.js';

const APPLIED_COLOUR = {
  applied: 'green',
  pending: 'yellow',
  not_applied: 'red',
  disabled: undefined,
} as const;

/** "local/web:80", "local/shop/api:8080", "local/service:api:80". */
export function routeTarget(r: ProxyRoute): string {
  const t = r.target;
  const what =
    t.kind === 'container'
      ? (t.container ?? '?')
      : t.kind === 'stack-service'
        ? `${t.stack ?? '?'}/${t.service ?? '?'}`
        : `service:${t.swarmService ?? '?'}`;
  return `${t.host}/${what}:${t.port}`;
}

/** "off", "awake (15m idle)", "asleep", "waking". */
function wakeCell(r: ProxyRoute): string {
  if (!r.wake) return '-';
  return r.wake.state === 'awake'
    ? `awake, sleeps ${relative(r.wake.sleepsAt, '-')}`
    : r.wake.state;
}

function sourceCell(r: ProxyRoute): string {
  const s = r.source;
  if (s.type === 'api') return 'api';
  return `labels:${s.container ?? `${s.stack ?? '?'}/${s.service ?? '?'}`}`;
}

/** The first certificate's end, or why there is none. */
function certificateCell(r: ProxyRoute): string {
  if (r.tls === 'off') return '-';
  const c = r.certificates[0];
  if (!c) return 'none';
  return c.notAfter ? `${c.state}, ends ${relative(c.notAfter)}` : c.state;
}

export const routeColumns: Column<ProxyRoute>[] = [
  { header: 'HOSTNAMES', value: (r) => r.hostnames.join(','), shrink: true },
  { header: 'TARGET', value: routeTarget, shrink: true },
  { header: 'TLS', value: (r) => r.tls },
  {
    header: 'APPLIED',
    value: (r) => r.applied.state.replace('_', ' '),
    colour: (r) => APPLIED_COLOUR[r.applied.state],
  },
  { header: 'WAKE', value: wakeCell },
  { header: 'SOURCE', value: sourceCell },
  { header: 'PATH', value: (r) => r.pathPrefix ?? '/', wide: true },
  { header: 'CERTIFICATE', value: certificateCell, wide: true },
  {
    header: 'UPSTREAMS',
    value: (r) => r.upstreams.map((u) => u.dial).join(',') || '-',
    wide: true,
  },
  { header: 'REASON', value: (r) => r.applied.reason ?? '', wide: true, shrink: true },
  { header: 'ID', value: (r) => r.id, wide: true },
  { header: 'AGE', value: (r) => age(r.createdAt), wide: true },
];

/** Routes through Caddy, of every host the user sees (their targets name the host). */
const routes = kind<ProxyRoute>({
  plural: 'routes',
  singular: 'route',
  aliases: ['route', 'proxy'],
  summary: 'List proxy routes through Caddy: hostnames, target, TLS, applied, wake',
  listKey: 'routes',
  hostScoped: false,
  columns: routeColumns,
  name: (r) => r.hostnames[0] ?? r.id,
  matches: (r, ref) => r.id === ref || r.hostnames.includes(ref.toLowerCase()),
  list: async (session) => {
    const answer = await session.client.proxy.list({ query: {} });
    return { answer, rows: answer.routes, stale: null };
  },
  watch: {
    named: (m) => (m.type === 'proxy' ? m.id : null),
    key: (r) => r.id,
    fetch: (session, _host, id) => orGone(session.client.proxy.get({ params: { id } })),
  },
});

export const proxyKinds: AnyKind[] = [routes];
