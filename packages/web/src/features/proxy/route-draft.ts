import {
  ProxyRouteCreate,
  type ProxyRoute,
  type ProxyRouteUpdate,
  type ProxyTargetKind,
  type ProxyTls,
} from '@berth/contract';

export interface HeaderRow {
  name: string;
  value: string;
}
export interface BasicUserRow {
  username: string;
  /** Empty on a stored user: its password is kept unless a new one is typed. */
  password: string;
}
export type AuthType = 'none' | 'basic' | 'berth';
export type MinRole = 'viewer' | 'operator' | 'admin';

/** The route dialog's fields, as its inputs hold them (text where the user types). */
export interface RouteDraft {
  /** Comma- or space-separated. */
  hostnames: string;
  pathPrefix: string;
  host: string;
  kind: ProxyTargetKind;
  container: string;
  stack: string;
  service: string;
  swarmService: string;
  port: string;
  via: 'auto' | 'published' | 'network';
  address: string;
  tls: ProxyTls;
  authType: AuthType;
  users: BasicUserRow[];
  minRole: MinRole;
  requestHeaders: HeaderRow[];
  responseHeaders: HeaderRow[];
  compress: boolean;
  wake: boolean;
  idleMinutes: string;
  startTimeoutSeconds: string;
  enabled: boolean;
}

export const newRoute = (host: string): RouteDraft => ({
  hostnames: '',
  pathPrefix: '',
  host,
  kind: 'container',
  container: '',
  stack: '',
  service: '',
  swarmService: '',
  port: '',
  via: 'auto',
  address: '',
  tls: 'auto',
  authType: 'none',
  users: [{ username: '', password: '' }],
  minRole: 'viewer',
  requestHeaders: [],
  responseHeaders: [],
  compress: true,
  wake: false,
  idleMinutes: '15',
  startTimeoutSeconds: '60',
  enabled: true,
});

const rowsOf = (record: Record<string, string>): HeaderRow[] =>
  Object.entries(record).map(([name, value]) => ({ name, value }));

/** A stored route in the dialog, to edit. Basic-auth users come back without passwords. */
export function draftOf(route: ProxyRoute): RouteDraft {
  const t = route.target;
  const auth = route.auth;
  return {
    ...newRoute(t.host),
    hostnames: route.hostnames.join(', '),
    pathPrefix: route.pathPrefix ?? '',
    kind: t.kind,
    container: t.container ?? '',
    stack: t.stack ?? '',
    service: t.service ?? '',
    swarmService: t.swarmService ?? '',
    port: String(t.port),
    via: t.via,
    address: t.address ?? '',
    tls: route.tls,
    authType: auth.type,
    users:
      auth.type === 'basic'
        ? auth.usernames.map((username) => ({ username, password: '' }))
        : [{ username: '', password: '' }],
    minRole: auth.type === 'berth' ? auth.minRole : 'viewer',
    requestHeaders: rowsOf(route.headers.request),
    responseHeaders: rowsOf(route.headers.response),
    compress: route.compress,
    wake: route.wake !== null,
    idleMinutes: route.wake ? String(route.wake.idleMinutes) : '15',
    startTimeoutSeconds: route.wake ? String(route.wake.startTimeoutSeconds) : '60',
    enabled: route.enabled,
  };
}

const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));
const optional = (text: string): string | undefined => text.trim() || undefined;
const recordOf = (rows: HeaderRow[]): Record<string, string> =>
  Object.fromEntries(rows.filter((r) => r.name.trim() !== '').map((r) => [r.name.trim(), r.value]));

/** Splits "a.test, b.test c.test" into hostnames. */
export const hostnameList = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((h) => h.trim())
    .filter(Boolean);

function targetOf(d: RouteDraft): Record<string, unknown> {
  const base = {
    host: d.host,
    port: num(d.port),
    via: d.via,
    ...(optional(d.address) ? { address: d.address.trim() } : {}),
  };
  const named = (key: string, value: string) => (optional(value) ? { [key]: value.trim() } : {});
  if (d.kind === 'container') return { ...base, ...named('container', d.container) };
  if (d.kind === 'stack-service')
    return { ...base, ...named('stack', d.stack), ...named('service', d.service) };
  return { ...base, ...named('swarmService', d.swarmService) };
}

/** What the target picker still needs chosen, said under its select. */
function unchosen(d: RouteDraft): Record<string, string> {
  const missing: Record<string, string> = {};
  if (d.kind === 'container' && !d.container.trim()) missing.container = 'Choose a container';
  if (d.kind === 'stack-service' && !d.stack.trim()) missing.stack = 'Choose a stack';
  if (d.kind === 'stack-service' && !d.service.trim()) missing.service = 'Choose a service';
  if (d.kind === 'swarm-service' && !d.swarmService.trim())
    missing.swarmService = 'Choose a Swarm service';
  return missing;
}

function authOf(d: RouteDraft): Record<string, unknown> {
  if (d.authType === 'basic') return { type: 'basic', users: d.users };
  if (d.authType === 'berth') return { type: 'berth', minRole: d.minRole };
  return { type: 'none' };
}

/**
 * Where a contract path's complaint shows in the dialog: `target.port` under Port,
 * `hostnames.2` under Hostnames, a header's name under its list. Used for the dialog's own
 * check and for the server's 400 alike.
 */
export function fieldOf(path: string): string {
  const parts = path.split('.');
  const [head, second, third] = parts;
  if (head === 'hostnames') return 'hostnames';
  if (head === 'target') return second ?? 'container';
  if (head === 'wake') return second ?? 'idleMinutes';
  if (head === 'headers') return second === 'response' ? 'responseHeaders' : 'requestHeaders';
  if (head === 'auth' && second === 'users' && third !== undefined)
    return `users.${third}.${parts[3] ?? 'username'}`;
  if (head === 'auth') return second === 'minRole' ? 'minRole' : 'users';
  return path;
}

/** Field errors keyed by the dialog's fields, the first complaint of each kept. */
export function dialogErrors(issues: { path: string; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { path, message } of issues) errors[fieldOf(path)] ??= message;
  return errors;
}

/**
 * The dialog's fields as a create body, checked with the contract's own schema: the body, or
 * each field's message under the dialog's field names.
 */
export function routeBody(
  d: RouteDraft,
): { ok: true; body: ProxyRouteCreate } | { ok: false; errors: Record<string, string> } {
  const candidate = {
    hostnames: hostnameList(d.hostnames),
    pathPrefix: optional(d.pathPrefix) ?? null,
    target: targetOf(d),
    tls: d.tls,
    auth: authOf(d),
    headers: { request: recordOf(d.requestHeaders), response: recordOf(d.responseHeaders) },
    compress: d.compress,
    wake: d.wake
      ? { idleMinutes: num(d.idleMinutes), startTimeoutSeconds: num(d.startTimeoutSeconds) }
      : null,
    enabled: d.enabled,
  };
  const parsed = ProxyRouteCreate.safeParse(candidate);
  if (parsed.success) return { ok: true, body: parsed.data };
  const errors = dialogErrors(
    parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
  return { ok: false, errors: { ...errors, ...unchosen(d) } };
}

/**
 * Basic auth is kept as stored when its users are the same and no password was typed: the
 * server has only their hashes, so the dialog cannot send them back.
 */
export function keepsStoredAuth(d: RouteDraft, stored: ProxyRoute): boolean {
  if (d.authType !== 'basic' || stored.auth.type !== 'basic') return false;
  const names = d.users.map((u) => u.username.trim());
  return (
    d.users.every((u) => u.password === '') &&
    names.length === stored.auth.usernames.length &&
    names.every((n, i) => n === (stored.auth.type === 'basic' ? stored.auth.usernames[i] : ''))
  );
}

/** An edit's body and its check: the stored basic users' passwords need not be typed again. */
export function routeUpdate(
  d: RouteDraft,
  stored: ProxyRoute,
): { ok: true; body: ProxyRouteUpdate } | { ok: false; errors: Record<string, string> } {
  const keep = keepsStoredAuth(d, stored);
  // Checked with a stand-in password where the stored one is kept; the stand-in is not sent.
  const checked = routeBody(
    keep ? { ...d, users: d.users.map((u) => ({ ...u, password: 'kept-as-stored' })) } : d,
  );
  if (!checked.ok) return checked;
  const body: ProxyRouteUpdate = { ...checked.body };
  if (keep) delete body.auth;
  return { ok: true, body };
}
