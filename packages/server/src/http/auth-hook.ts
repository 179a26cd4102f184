import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SecurityConfig } from '../config/config.js';
import { AppError } from '../core/errors.js';
import type { RateLimiter } from '../core/rate-limiter.js';
import {
  atLeast,
  canSeeHost,
  type Authenticator,
  type HostLabelLookup,
  type Principal,
  type SetupGate,
} from './principal.js';
import { ROLE_FOR, auditInfo } from './route-permissions.js';
import { SESSION_COOKIE } from './session-cookie.js';

export interface AuthHookDeps {
  auth: Authenticator;
  setup: SetupGate;
  limiter: RateLimiter;
  security: SecurityConfig;
  /** The labels each host carries, for grants by label. */
  hostLabels: HostLabelLookup;
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Whether the caller may see the host (admin, or granted by its id or one of its labels):
     * what lists of hosts and the fleet answers are filtered by.
     */
    canSeeHost(hostId: string): boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one place permissions are enforced, in this order: setup gate, authentication, rate
 * limit, CSRF, the token's scope, then the route's declared permission and the host grant. A host the caller may
 * not see answers exactly as a host that does not exist.
 */
export function registerAuthHook(app: FastifyInstance, deps: AuthHookDeps): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('auditInfo', null);
  app.decorateRequest('canSeeHost', () => false);

  app.addHook('onRequest', async (request) => {
    request.auditInfo = {};
    if (request.is404) return;
    const config = request.routeOptions.config;
    const permission = config.permission;
    if (!permission) {
      throw new AppError(
        500,
        'permission_undeclared',
        'This route declares no permission and is refused',
      );
    }
    if (!config.beforeSetup && (await deps.setup.required())) {
      throw new AppError(
        403,
        'setup_required',
        'Berth is not set up yet: create the first admin with POST /api/setup',
      );
    }

    const principal = await authenticate(request, deps.auth);
    request.principal = principal;
    request.canSeeHost = (hostId) =>
      principal !== null && canSeeHost(principal, hostId, deps.hostLabels);

    const key = principal ? (principal.sessionId ?? principal.tokenId ?? '') : `ip:${request.ip}`;
    const retryAfter = deps.limiter.take(key);
    if (retryAfter > 0) {
      throw new AppError(429, 'rate_limited', 'Too many requests; slow down', {
        retryAfterSeconds: retryAfter,
      });
    }

    checkOrigin(request, principal, deps.security.trustedOrigins);

    if (permission === 'public') return;
    if (!principal)
      throw new AppError(401, 'unauthenticated', 'Log in first, or send an API token');

    // A scrape token opens the scrape and nothing else, whatever its owner's role.
    if (principal.scope === 'metrics' && permission !== 'metrics') {
      auditInfo(request).denied = true;
      throw new AppError(
        403,
        'token_scope',
        'This is a scrape token (scope metrics): it may call GET /metrics and nothing else',
      );
    }

    const restriction = principal.restrictions[0];
    if (restriction && !config.allowRestricted) {
      auditInfo(request).denied = true;
      throw new AppError(
        403,
        restriction,
        restriction === 'password_change_required'
          ? 'Change your password first (POST /api/me/password)'
          : 'Admins must turn on two-factor authentication first (POST /api/me/2fa/setup)',
      );
    }
    if (permission === 'authenticated') return;
    if (permission === 'metrics') {
      if (principal.scope === 'metrics' || principal.role === 'admin') return;
      auditInfo(request).denied = true;
      throw new AppError(
        403,
        'metrics_scope_required',
        `The scrape needs a token with the metrics scope (or an admin); this is a ${principal.role}'s ${principal.via === 'token' ? 'api token' : 'session'}`,
      );
    }

    const needed = ROLE_FOR[permission];
    if (!atLeast(principal.role, needed)) {
      auditInfo(request).denied = true;
      throw new AppError(
        403,
        'forbidden',
        `This needs the ${needed} role; you have ${principal.role}`,
      );
    }
    const host = (request.params as Record<string, unknown> | undefined)?.host;
    if (typeof host === 'string' && !request.canSeeHost(host)) {
      auditInfo(request).denied = true;
      throw AppError.notFound('host_not_found', `No host "${host}"`, { host });
    }
  });
}

async function authenticate(
  request: FastifyRequest,
  auth: Authenticator,
): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match?.[1] ? await auth.fromBearerToken(match[1]) : null;
    if (!principal)
      throw new AppError(401, 'invalid_token', 'The API token is invalid, expired or revoked');
    return principal;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? auth.fromSessionCookie(cookie) : null;
}

/**
 * A change made with a session cookie must come from a page of this server (its Origin or,
 * failing that, its Referer). Bearer tokens are exempt: a browser never attaches them itself.
 */
function checkOrigin(
  request: FastifyRequest,
  principal: Principal | null,
  trusted: string[],
): void {
  // A WebSocket handshake is a GET, but what it opens can change things (a terminal).
  const upgrade = request.headers.upgrade?.toLowerCase() === 'websocket';
  if ((SAFE_METHODS.has(request.method) && !upgrade) || principal?.via === 'token') return;
  const cookieAuth = principal?.via === 'session' || request.cookies[SESSION_COOKIE] !== undefined;
  const origin = request.headers.origin ?? originOf(request.headers.referer);
  if (!origin) {
    if (cookieAuth)
      throw new AppError(403, 'csrf_rejected', 'Cross-site request refused: no Origin header');
    return;
  }
  if (!sameHost(origin, request.headers.host) && !trusted.includes(origin)) {
    throw new AppError(
      403,
      'csrf_rejected',
      `Cross-site request refused: origin ${origin} is not this server`,
    );
  }
}

/** Compares the Origin's host with the Host header, default ports normalised alike. */
function sameHost(origin: string, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  try {
    const url = new URL(origin);
    return new URL(`${url.protocol}//${hostHeader}`).host === url.host;
  } catch {
    return false;
  }
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? null : parsed.origin;
  } catch {
    return null;
  }
}
