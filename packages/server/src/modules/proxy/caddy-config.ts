// Typed builders of the Caddy JSON Berth writes (pure: no I/O). Everything Berth owns in
// Caddy's config carries an @id of Berth's own, so it is found, changed and removed by that id
// alone and nothing of the user's is ever touched.
import type { ProxySettings } from '@berth/contract';
import type { ResolvedUpstream, StoredProxyRoute } from './proxy-ports.js';

export const ROUTE_ID_PREFIX = 'berth-route-';
export const TLS_POLICY_ID_PREFIX = 'berth-tls-';
export const ACCESS_LOGGER = 'berth-access';
/** Berth's own plain-HTTP server, made when Caddy has none on its http_port (routes with TLS off). */
export const BERTH_HTTP_SERVER = 'berth-http';
/** Berth's own HTTPS server, made when Caddy has none on its https_port. */
export const BERTH_HTTPS_SERVER = 'berth';

export const caddyRouteId = (routeId: string): string => `${ROUTE_ID_PREFIX}${routeId}`;
export const tlsPolicyId = (routeId: string): string => `${TLS_POLICY_ID_PREFIX}${routeId}`;

export interface CaddyHandler {
  handler: string;
  [key: string]: unknown;
}

export interface CaddyRoute {
  '@id': string;
  match: { host: string[]; path?: string[] }[];
  handle: CaddyHandler[];
  terminal: true;
}

export interface CaddyTlsPolicy {
  '@id': string;
  subjects: string[];
  issuers: Record<string, unknown>[];
}

/** Where Caddy sends a route's requests: its target's upstreams, or the waker's. */
export interface RouteDestination {
  upstreams: ResolvedUpstream[];
  /** Set while the wake side holds the route: its dial address and the headers it reads. */
  waker: { dial: string; headers: Record<string, string> } | null;
}

const PASSIVE_HEALTH = { fail_duration: '10s', max_fails: 2, unhealthy_status: [502, 503, 504] };

/** The Caddy route for a Berth route, by @id `berth-route-<id>`. */
export function buildCaddyRoute(route: StoredProxyRoute, to: RouteDestination): CaddyRoute {
  const match: CaddyRoute['match'][number] = { host: [...route.hostnames] };
  if (route.pathPrefix !== null) match.path = pathMatchers(route.pathPrefix);
  const handlers: CaddyHandler[] = [];
  const auth = basicAuthHandler(route);
  if (auth) handlers.push(auth);
  if (Object.keys(route.headers.response).length > 0) {
    handlers.push({
      handler: 'headers',
      response: { set: listValues(route.headers.response), deferred: true },
    });
  }
  if (route.compress) {
    handlers.push({
      handler: 'encode',
      encodings: { zstd: {}, gzip: {} },
      prefer: ['zstd', 'gzip'],
    });
  }
  handlers.push(reverseProxyHandler(route, to));
  return {
    '@id': caddyRouteId(route.id),
    match: [match],
    handle: [{ handler: 'subroute', routes: [{ handle: handlers }] }],
    terminal: true,
  };
}

function reverseProxyHandler(route: StoredProxyRoute, to: RouteDestination): CaddyHandler {
  const requestHeaders = { ...route.headers.request, ...(to.waker?.headers ?? {}) };
  const dials = to.waker ? [to.waker.dial] : to.upstreams.map((u) => u.dial);
  const proxy: CaddyHandler = {
    handler: 'reverse_proxy',
    upstreams: dials.map((dial) => ({ dial })),
  };
  if (dials.length > 1) {
    proxy.load_balancing = { selection_policy: { policy: 'round_robin' }, try_duration: '5s' };
  }
  // Passive checks only: an active probe would need a path every target answers with 2xx,
  // which Berth cannot know; a replica that fails requests is taken out for fail_duration.
  if (!to.waker) proxy.health_checks = { passive: PASSIVE_HEALTH };
  if (Object.keys(requestHeaders).length > 0) {
    proxy.headers = { request: { set: listValues(requestHeaders) } };
  }
  return proxy;
}

function basicAuthHandler(route: StoredProxyRoute): CaddyHandler | null {
  if (route.auth.type !== 'basic') return null;
  const hashes = route.auth.hashes ?? {};
  return {
    handler: 'authentication',
    providers: {
      http_basic: {
        // Caddy 2.6 takes each bcrypt hash base64-encoded.
        accounts: route.auth.usernames.map((username) => ({
          username,
          password: Buffer.from(hashes[username] ?? '').toString('base64'),
        })),
        hash: { algorithm: 'bcrypt' },
        realm: 'restricted',
      },
    },
  };
}

/** The TLS automation policy of a route: Caddy's internal CA, or ACME with the settings' account. */
export function buildTlsPolicy(
  route: StoredProxyRoute,
  settings: ProxySettings,
): CaddyTlsPolicy | null {
  if (route.tls === 'off') return null;
  if (route.tls === 'internal') {
    return {
      '@id': tlsPolicyId(route.id),
      subjects: [...route.hostnames],
      issuers: [{ module: 'internal' }],
    };
  }
  const acme: Record<string, unknown> = { module: 'acme' };
  if (settings.acmeEmail !== null) acme.email = settings.acmeEmail;
  if (settings.acmeCa !== null) acme.ca = settings.acmeCa;
  return { '@id': tlsPolicyId(route.id), subjects: [...route.hostnames], issuers: [acme] };
}

/**
 * Caddy's `net` log writer to the wake side's listener, for the access log of Berth's hosts.
 * `softStart` (Caddy 2.7+) lets Caddy load its config while Berth's listener is down; 2.6
 * refuses the field, so the applier writes it without there.
 */
export function buildAccessLogger(address: string, softStart = true): Record<string, unknown> {
  return {
    writer: { output: 'net', address, ...(softStart ? { soft_start: true } : {}) },
    encoder: { format: 'json' },
    include: [`http.log.access.${ACCESS_LOGGER}`],
  };
}

/** `/app` matches /app and everything under /app/, not /apple. */
function pathMatchers(prefix: string): string[] {
  const base = prefix.replace(/\/+$/, '');
  return base === '' ? ['/*'] : [base, `${base}/*`];
}

function listValues(headers: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
}

/** The addresses a route answers on: https://name/path, or http:// with TLS off. */
export function routeUrls(route: Pick<StoredProxyRoute, 'hostnames' | 'pathPrefix' | 'tls'>) {
  const scheme = route.tls === 'off' ? 'http' : 'https';
  return route.hostnames.map((host) => `${scheme}://${host}${route.pathPrefix ?? '/'}`);
}

/**
 * What the route amounts to as a Caddyfile site block: shown in the UI so that a user sees
 * what Berth asked of Caddy and could write it themselves.
 */
export function routeCaddyfile(route: StoredProxyRoute, to: RouteDestination): string {
  const site = route.hostnames.map((h) => (route.tls === 'off' ? `http://${h}` : h)).join(', ');
  const body: string[] = [];
  if (route.tls === 'internal') body.push('tls internal');
  const inner: string[] = [];
  if (route.auth.type === 'basic') {
    const hashes = route.auth.hashes ?? {};
    inner.push('basicauth {');
    for (const user of route.auth.usernames) {
      inner.push(`\t${user} ${Buffer.from(hashes[user] ?? '').toString('base64')}`);
    }
    inner.push('}');
  }
  for (const [name, value] of Object.entries(route.headers.response)) {
    inner.push(`header ${name} ${quote(value)}`);
  }
  if (route.compress) inner.push('encode zstd gzip');
  const dials = to.waker ? [to.waker.dial] : to.upstreams.map((u) => u.dial);
  const requestHeaders = { ...route.headers.request, ...(to.waker?.headers ?? {}) };
  const proxyLines: string[] = [];
  if (dials.length > 1) proxyLines.push('lb_policy round_robin');
  if (!to.waker) proxyLines.push('fail_duration 10s', 'max_fails 2');
  for (const [name, value] of Object.entries(requestHeaders)) {
    proxyLines.push(`header_up ${name} ${quote(value)}`);
  }
  const upstreams = dials.length > 0 ? dials.join(' ') : '# no upstream yet';
  if (proxyLines.length === 0) inner.push(`reverse_proxy ${upstreams}`);
  else inner.push(`reverse_proxy ${upstreams} {`, ...proxyLines.map((l) => `\t${l}`), '}');
  if (route.pathPrefix !== null) {
    body.push(`@path path ${pathMatchers(route.pathPrefix).join(' ')}`);
    body.push('handle @path {', ...inner.map((l) => `\t${l}`), '}');
  } else {
    body.push(...inner);
  }
  return [`${site} {`, ...body.map((l) => `\t${l}`), '}', ''].join('\n');
}

function quote(value: string): string {
  return /^[^\s"{}]+$/.test(value) ? value : JSON.stringify(value);
}
