import { z } from 'zod';
import { HostId } from './host-id.js';

/**
 * Routes through Caddy: hostnames (and a path prefix) → a container, a compose service's
 * replicas or a Swarm service, with TLS, optional auth in front, and wake-on-demand.
 */

const Hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'a hostname (letters, digits, hyphens and dots; a leading *. for a wildcard)',
  );

const Port = z.number().int().min(1).max(65535);
const ObjectName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'a name or an id: letters, digits and _ . - only');

/**
 * What a route sends its requests to. Exactly one of `container`, `stack` with `service`, or
 * `swarmService`. `via`: how Caddy reaches it — `published` (the host's address and the
 * port the container publishes for `port`), `network` (the container's own address on its
 * network, when Caddy runs on that engine's machine or network), `auto` (published when the
 * port is published, else network).
 */
export const ProxyTargetInput = z
  .strictObject({
    host: HostId,
    container: ObjectName.optional().describe('A container name or id'),
    stack: ObjectName.optional().describe('A compose project; with `service`'),
    service: ObjectName.optional().describe('A compose service of `stack`: all its replicas'),
    swarmService: ObjectName.optional().describe('A Swarm service name or id (its published port)'),
    port: Port.describe("The container's (or service's) port, as the container listens on it"),
    via: z.enum(['auto', 'published', 'network']).default('auto'),
    address: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .optional()
      .describe("The host address Caddy dials for published ports (default: the host's own)"),
  })
  .superRefine((target, ctx) => {
    const kinds = [
      target.container !== undefined,
      target.stack !== undefined || target.service !== undefined,
      target.swarmService !== undefined,
    ].filter(Boolean).length;
    if (kinds !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['container'],
        message: 'give exactly one of container, stack with service, or swarmService',
      });
    } else if ((target.stack === undefined) !== (target.service === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [target.stack === undefined ? 'stack' : 'service'],
        message: 'a stack service needs both stack and service',
      });
    }
  });
export type ProxyTargetInput = z.infer<typeof ProxyTargetInput>;

export const ProxyTargetKind = z.enum(['container', 'stack-service', 'swarm-service']);
export type ProxyTargetKind = z.infer<typeof ProxyTargetKind>;

export const ProxyTarget = z.object({
  kind: ProxyTargetKind,
  host: z.string(),
  container: z.string().nullable(),
  stack: z.string().nullable(),
  service: z.string().nullable(),
  swarmService: z.string().nullable(),
  port: z.number().int(),
  via: z.enum(['auto', 'published', 'network']),
  address: z.string().nullable(),
});
export type ProxyTarget = z.infer<typeof ProxyTarget>;

/** `auto`: a public certificate by ACME (the CA and email of the proxy settings); `internal`: Caddy's own CA (home-lab names); `off`: plain HTTP. */
export const ProxyTls = z.enum(['auto', 'internal', 'off']);
export type ProxyTls = z.infer<typeof ProxyTls>;

const BasicUser = z.strictObject({
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^:\s]+$/, 'a user name without spaces or colons'),
  password: z.string().min(8).max(256).describe('Stored only as a bcrypt hash'),
});

/** Who may pass: anyone, users of basic auth, or people signed in to Berth (a session or a token). */
export const ProxyAuthInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('basic'), users: z.array(BasicUser).min(1).max(50) }),
  z.strictObject({
    type: z.literal('berth'),
    minRole: z.enum(['viewer', 'operator', 'admin']).default('viewer'),
  }),
]);
export type ProxyAuthInput = z.infer<typeof ProxyAuthInput>;

/** The auth view: basic auth's user names, never a password or its hash. */
export const ProxyAuth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('basic'), usernames: z.array(z.string()) }),
  z.object({ type: z.literal('berth'), minRole: z.enum(['viewer', 'operator', 'admin']) }),
]);
export type ProxyAuth = z.infer<typeof ProxyAuth>;

const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'an HTTP header name');
const HeaderValue = z
  .string()
  .max(4096)
  .regex(/^[^\r\n]*$/, 'a header value on one line');
export const ProxyHeaders = z.strictObject({
  request: z.record(HeaderName, HeaderValue).default({}).describe('Set on the way to the target'),
  response: z.record(HeaderName, HeaderValue).default({}).describe('Set on the answer'),
});
export type ProxyHeaders = z.infer<typeof ProxyHeaders>;

/** Wake-on-demand: stop the target after this long without a request or an open connection. */
export const ProxyWakeInput = z.strictObject({
  idleMinutes: z.number().min(0.1).max(10_080),
  startTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(600)
    .default(60)
    .describe('How long a request is held while the target starts'),
});
export type ProxyWakeInput = z.infer<typeof ProxyWakeInput>;

const PathPrefix = z
  .string()
  .max(1000)
  .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'a path starting with /');

export const ProxyRouteCreate = z
  .strictObject({
    hostnames: z.array(Hostname).min(1).max(50),
    pathPrefix: PathPrefix.nullable().default(null),
    target: ProxyTargetInput,
    tls: ProxyTls.default('auto'),
    auth: ProxyAuthInput.default({ type: 'none' }),
    headers: ProxyHeaders.default({ request: {}, response: {} }),
    compress: z.boolean().default(true).describe('gzip and zstd answers the client accepts'),
    wake: ProxyWakeInput.nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'ProxyRouteCreate' });
export type ProxyRouteCreate = z.infer<typeof ProxyRouteCreate>;

export const ProxyRouteUpdate = z
  .strictObject({
    hostnames: z.array(Hostname).min(1).max(50),
    pathPrefix: PathPrefix.nullable(),
    target: ProxyTargetInput,
    tls: ProxyTls,
    auth: ProxyAuthInput,
    headers: ProxyHeaders,
    compress: z.boolean(),
    wake: ProxyWakeInput.nullable(),
    enabled: z.boolean(),
  })
  .partial()
  .meta({ id: 'ProxyRouteUpdate' });
export type ProxyRouteUpdate = z.infer<typeof ProxyRouteUpdate>;

/** Where a route came from: the API (and the UI), or labels on a container or compose service. */
export const ProxyRouteSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('api') }),
  z.object({
    type: z.literal('labels'),
    host: z.string(),
    container: z.string().nullable(),
    stack: z.string().nullable(),
    service: z.string().nullable(),
  }),
]);
export type ProxyRouteSource = z.infer<typeof ProxyRouteSource>;

/** Whether Caddy holds the route as Berth wrote it. */
export const ProxyApplied = z.object({
  state: z.enum(['applied', 'pending', 'not_applied', 'disabled']),
  reason: z
    .string()
    .nullable()
    .describe('Why it is not applied (Caddy unreachable, no upstream …)'),
  at: z.iso.datetime().nullable(),
});
export type ProxyApplied = z.infer<typeof ProxyApplied>;

export const ProxyUpstream = z.object({
  dial: z.string().describe('host:port as Caddy dials it'),
  container: z.string().nullable(),
  activeRequests: z.number().int().nullable().describe("Caddy's count of requests open now"),
  healthy: z.boolean().nullable(),
});
export type ProxyUpstream = z.infer<typeof ProxyUpstream>;

export const ProxyCertificate = z.object({
  hostname: z.string(),
  issuer: z.string().nullable(),
  notBefore: z.iso.datetime().nullable(),
  notAfter: z.iso.datetime().nullable(),
  state: z.enum(['valid', 'expiring', 'expired', 'none', 'unknown']),
  reason: z.string().nullable(),
});
export type ProxyCertificate = z.infer<typeof ProxyCertificate>;

export const ProxyWakeState = z.object({
  idleMinutes: z.number(),
  startTimeoutSeconds: z.number().int(),
  state: z.enum(['awake', 'asleep', 'waking', 'sleeping']),
  lastActivityAt: z.iso.datetime().nullable(),
  sleepsAt: z.iso.datetime().nullable().describe('When it stops if nothing more happens'),
  lastWakeAt: z.iso.datetime().nullable(),
  lastTimeToHealthyMs: z.number().int().nullable(),
  lastSleepAt: z.iso.datetime().nullable(),
  sleepsToday: z.number().int(),
  wakesToday: z.number().int(),
  reason: z.string().nullable().describe('Why the last wake failed'),
});
export type ProxyWakeState = z.infer<typeof ProxyWakeState>;

export const ProxyRoute = z
  .object({
    id: z.string(),
    hostnames: z.array(z.string()),
    pathPrefix: z.string().nullable(),
    target: ProxyTarget,
    tls: ProxyTls,
    auth: ProxyAuth,
    headers: z.object({
      request: z.record(z.string(), z.string()),
      response: z.record(z.string(), z.string()),
    }),
    compress: z.boolean(),
    wake: ProxyWakeState.nullable(),
    enabled: z.boolean(),
    source: ProxyRouteSource,
    applied: ProxyApplied,
    upstreams: z.array(ProxyUpstream),
    certificates: z.array(ProxyCertificate),
    urls: z.array(z.string()).describe('The addresses the route answers on'),
    cli: z.string().describe('What it amounts to in Caddy: the route as a Caddyfile block'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ProxyRoute' });
export type ProxyRoute = z.infer<typeof ProxyRoute>;

export const ProxyRouteList = z
  .object({ routes: z.array(ProxyRoute) })
  .meta({ id: 'ProxyRouteList' });
export type ProxyRouteList = z.infer<typeof ProxyRouteList>;

export const ProxyRoutesQuery = z.strictObject({
  host: HostId.optional(),
  container: ObjectName.optional().describe(
    'Routes to this container (name or id), direct or as a replica',
  ),
  stack: ObjectName.optional(),
});
export type ProxyRoutesQuery = z.infer<typeof ProxyRoutesQuery>;

export const ProxyRouteParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a route id'),
});
export type ProxyRouteParams = z.infer<typeof ProxyRouteParams>;

/** ACME account for `tls: auto` routes. */
export const ProxySettings = z
  .object({
    acmeEmail: z.string().email().max(254).nullable(),
    acmeCa: z
      .string()
      .url()
      .max(2000)
      .nullable()
      .describe("The ACME directory URL; null: Caddy's default (Let's Encrypt, ZeroSSL)"),
  })
  .meta({ id: 'ProxySettings' });
export type ProxySettings = z.infer<typeof ProxySettings>;

export const ProxySettingsUpdate = ProxySettings.partial()
  .strict()
  .meta({ id: 'ProxySettingsUpdate' });
export type ProxySettingsUpdate = z.infer<typeof ProxySettingsUpdate>;

/** The proxy as Berth sees it. */
export const ProxyState = z
  .object({
    admin: z.string().describe("Where Berth reaches Caddy's admin API (BERTH_CADDY_ADMIN)"),
    reachable: z.boolean(),
    reason: z.string().nullable(),
    version: z.string().nullable(),
    server: z.string().nullable().describe("The Caddy server Berth's routes are in"),
    listen: z.array(z.string()),
    routes: z.object({
      applied: z.number().int(),
      notApplied: z.number().int(),
      total: z.number().int(),
    }),
    certificates: z.array(ProxyCertificate),
    settings: ProxySettings,
    waker: z.string().nullable().describe('Where Caddy reaches Berth while a target sleeps'),
    checkedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ProxyState' });
export type ProxyState = z.infer<typeof ProxyState>;
