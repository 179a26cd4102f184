import type { FastifyReply, FastifyRequest } from 'fastify';
import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import {
  DEVICE_COOKIE,
  clearSessionCookie,
  setDeviceCookie,
  setSessionCookie,
} from '../../http/session-cookie.js';
import { KNOWN_DEVICE_MAX_AGE_MS } from './known-devices.js';
import type { ClientMeta, NewSession } from './auth-service.js';
import { requirePrincipal } from './require-principal.js';
import type { SignInService } from './sign-in-service.js';

export interface AuthRoutesDeps {
  signIn: SignInService;
  secureCookies: boolean;
  sessionMaxMs: number;
}

function meta(request: FastifyRequest): ClientMeta {
  return {
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    deviceCookie: request.cookies[DEVICE_COOKIE],
  };
}

/** Sets the session and known-device cookies of a session just started. */
function cookiesFor(deps: AuthRoutesDeps) {
  return (reply: FastifyReply, session: NewSession): void => {
    setSessionCookie(reply, session.secret, deps.secureCookies, deps.sessionMaxMs);
    setDeviceCookie(reply, session.deviceCookie, deps.secureCookies, KNOWN_DEVICE_MAX_AGE_MS);
  };
}

/** GET and POST /api/setup: whether the first admin is still missing, and creating it. */
export function setupRoutes(deps: AuthRoutesDeps) {
  const setCookies = cookiesFor(deps);
  return contractRoutes('setup', {
    status: async () => ({ required: await deps.signIn.setupRequired() }),
    create: async (request, reply) => {
      auditInfo(request).username = request.body.username;
      auditInfo(request).target = request.body.username;
      const signedIn = await deps.signIn.createFirstAdmin(request.body, meta(request));
      request.principal = signedIn.principal;
      setCookies(reply, signedIn.session);
      return reply.status(201).send(signedIn.me);
    },
  });
}

export function authRoutes(deps: AuthRoutesDeps) {
  const setCookies = cookiesFor(deps);
  return contractRoutes('auth', {
    login: async (request, reply) => {
      auditInfo(request).username = request.body.username;
      auditInfo(request).target = request.body.username;
      const signedIn = await deps.signIn.login(request.body, meta(request));
      request.principal = signedIn.principal;
      setCookies(reply, signedIn.session);
      return signedIn.me;
    },
    logout: async (request, reply) => {
      await deps.signIn.logout(requirePrincipal(request));
      clearSessionCookie(reply, deps.secureCookies);
      return reply.status(204).send(null);
    },
  });
}
