import { ErrorBody, NoContent, LoginRequest, Me, SetupRequest, SetupStatus } from '@berth/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditInfo } from '../../http/route-permissions.js';
import {
  DEVICE_COOKIE,
  clearSessionCookie,
  setDeviceCookie,
  setSessionCookie,
} from '../../http/session-cookie.js';
import { KNOWN_DEVICE_MAX_AGE_MS } from './known-devices.js';
import { toUserView } from '../users/users-service.js';
import type { AuthService, ClientMeta, NewSession } from './auth-service.js';
import type { SetupService } from './setup-service.js';
import { requirePrincipal } from './require-principal.js';

export interface AuthRoutesDeps {
  auth: AuthService;
  setup: SetupService;
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

export function authRoutes(deps: AuthRoutesDeps): FastifyPluginCallbackZod {
  const signedIn = (reply: FastifyReply, session: NewSession): Me => {
    setSessionCookie(reply, session.secret, deps.secureCookies, deps.sessionMaxMs);
    setDeviceCookie(reply, session.deviceCookie, deps.secureCookies, KNOWN_DEVICE_MAX_AGE_MS);
    return {
      user: toUserView(session.user),
      auth: 'session',
      effectiveRole: session.user.role,
      restrictions: [],
    };
  };

  return (app, _options, done) => {
    app.get(
      '/api/setup',
      {
        config: { permission: 'public', beforeSetup: true },
        schema: {
          tags: ['auth'],
          summary: 'Whether the first admin still has to be created',
          response: { 200: SetupStatus },
        },
      },
      async () => ({ required: await deps.setup.required() }),
    );

    app.post(
      '/api/setup',
      {
        config: { permission: 'public', beforeSetup: true, audit: 'setup' },
        schema: {
          tags: ['auth'],
          summary: 'Create the first admin with the one-time setup token from the server log',
          body: SetupRequest,
          response: { 201: Me, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        auditInfo(request).username = request.body.username;
        auditInfo(request).target = request.body.username;
        const user = await deps.setup.setup(request.body);
        const session = await deps.auth.startSession(user, meta(request));
        request.principal = {
          user,
          via: 'session',
          sessionId: session.id,
          tokenId: null,
          role: 'admin',
          restrictions: [],
        };
        return reply.status(201).send(signedIn(reply, session));
      },
    );

    app.post(
      '/api/auth/login',
      {
        config: { permission: 'public', audit: 'auth.login' },
        schema: {
          tags: ['auth'],
          summary: 'Log in; sets the berth_session cookie',
          body: LoginRequest,
          response: { 200: Me, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
        },
      },
      async (request, reply) => {
        auditInfo(request).username = request.body.username;
        auditInfo(request).target = request.body.username;
        const session = await deps.auth.login(request.body, meta(request));
        request.principal = await deps.auth.fromSessionCookie(session.secret);
        const me = signedIn(reply, session);
        return { ...me, restrictions: request.principal?.restrictions ?? [] };
      },
    );

    app.post(
      '/api/auth/logout',
      {
        config: { permission: 'authenticated', allowRestricted: true, audit: 'auth.logout' },
        schema: {
          tags: ['auth'],
          summary: 'End this session and clear its cookie',
          response: { 204: NoContent },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        if (principal.sessionId) await deps.auth.endSession(principal.sessionId);
        clearSessionCookie(reply, deps.secureCookies);
        return reply.status(204).send(null);
      },
    );
    done();
  };
}
