import {
  ErrorBody,
  NoContent,
  IdParams,
  Me,
  PasswordChange,
  PasswordConfirm,
  RecoveryCodes,
  SessionList,
  SessionsEnded,
  TokenCreate,
  TokenCreated,
  TokenList,
  TotpEnable,
  TotpSetup,
} from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditInfo } from '../../http/route-permissions.js';
import { toUserView } from '../users/users-service.js';
import type { AuthService } from './auth-service.js';
import { requirePrincipal } from './require-principal.js';
import type { TokensService } from './tokens-service.js';
import type { TwoFactorService } from './two-factor-service.js';

export interface MeRoutesDeps {
  auth: AuthService;
  tokens: TokensService;
  twoFactor: TwoFactorService;
}

/** The signed-in user's own account: profile, password, sessions, tokens, 2FA. */
export function meRoutes(deps: MeRoutesDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    const own = { permission: 'authenticated', allowRestricted: true } as const;

    app.get(
      '/api/me',
      {
        config: own,
        schema: {
          tags: ['me'],
          summary: 'Who you are, your role and hosts',
          response: { 200: Me },
        },
      },
      (request) => {
        const principal = requirePrincipal(request);
        return {
          user: toUserView(principal.user),
          auth: principal.via,
          effectiveRole: principal.role,
          restrictions: principal.restrictions,
        };
      },
    );

    app.post(
      '/api/me/password',
      {
        config: { ...own, audit: 'password.change' },
        schema: {
          tags: ['me'],
          summary: 'Change your password; your other sessions end',
          body: PasswordChange,
          response: { 204: NoContent, 400: ErrorBody, 403: ErrorBody },
        },
      },
      async (request, reply) => {
        await deps.auth.changePassword(
          requirePrincipal(request),
          request.body.currentPassword,
          request.body.newPassword,
        );
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/me/sessions',
      {
        config: { permission: 'authenticated' },
        schema: { tags: ['me'], summary: 'Your sessions', response: { 200: SessionList } },
      },
      (request) => deps.auth.listSessions(requirePrincipal(request)),
    );

    app.delete(
      '/api/me/sessions',
      {
        config: { permission: 'authenticated', audit: 'session.revoke_others' },
        schema: {
          tags: ['me'],
          summary: 'End all your sessions but this one',
          response: { 200: SessionsEnded },
        },
      },
      async (request) => {
        const ended = await deps.auth.revokeOtherSessions(requirePrincipal(request));
        auditInfo(request).details = { ended };
        return { ended };
      },
    );

    app.delete(
      '/api/me/sessions/:id',
      {
        config: { permission: 'authenticated', audit: 'session.revoke' },
        schema: {
          tags: ['me'],
          summary: 'End one of your sessions',
          params: IdParams,
          response: { 204: NoContent, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await deps.auth.revokeSession(requirePrincipal(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/me/tokens',
      {
        config: { permission: 'authenticated' },
        schema: { tags: ['me'], summary: 'Your API tokens', response: { 200: TokenList } },
      },
      async (request) => ({ tokens: await deps.tokens.list(requirePrincipal(request)) }),
    );

    app.post(
      '/api/me/tokens',
      {
        config: { permission: 'authenticated', audit: 'token.create' },
        schema: {
          tags: ['me'],
          summary: 'Create an API token; its secret is shown only in this answer',
          body: TokenCreate,
          response: { 201: TokenCreated, 400: ErrorBody, 403: ErrorBody },
        },
      },
      async (request, reply) => {
        const created = await deps.tokens.create(requirePrincipal(request), request.body);
        auditInfo(request).target = created.token.id;
        auditInfo(request).details = { name: created.token.name, role: created.token.role };
        return reply.status(201).send(created);
      },
    );

    app.delete(
      '/api/me/tokens/:id',
      {
        config: { permission: 'authenticated', audit: 'token.revoke' },
        schema: {
          tags: ['me'],
          summary: 'Revoke one of your API tokens',
          params: IdParams,
          response: { 204: NoContent, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await deps.tokens.revoke(requirePrincipal(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/me/2fa/setup',
      {
        config: { ...own, audit: '2fa.setup' },
        schema: {
          tags: ['me'],
          summary: 'Start TOTP enrolment: a secret and otpauth:// URI',
          response: { 200: TotpSetup, 409: ErrorBody },
        },
      },
      (request) => deps.twoFactor.beginEnrolment(requirePrincipal(request)),
    );

    app.post(
      '/api/me/2fa/enable',
      {
        config: { ...own, audit: '2fa.enable' },
        schema: {
          tags: ['me'],
          summary: 'Turn 2FA on with a first code; returns ten one-time recovery codes',
          body: TotpEnable,
          response: { 200: RecoveryCodes, 400: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => ({
        recoveryCodes: await deps.twoFactor.enable(requirePrincipal(request), request.body.code),
      }),
    );

    app.post(
      '/api/me/2fa/disable',
      {
        config: { permission: 'authenticated', audit: '2fa.disable' },
        schema: {
          tags: ['me'],
          summary: 'Turn 2FA off (needs your password)',
          body: PasswordConfirm,
          response: { 204: NoContent, 403: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        await deps.twoFactor.disable(requirePrincipal(request), request.body.password);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/me/2fa/recovery-codes',
      {
        config: { permission: 'authenticated', audit: '2fa.recovery_codes' },
        schema: {
          tags: ['me'],
          summary: 'Replace your recovery codes (needs your password)',
          body: PasswordConfirm,
          response: { 200: RecoveryCodes, 403: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => ({
        recoveryCodes: await deps.twoFactor.regenerateRecoveryCodes(
          requirePrincipal(request),
          request.body.password,
        ),
      }),
    );
    done();
  };
}
