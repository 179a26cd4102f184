import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { AuthService } from './auth-service.js';
import { requirePrincipal } from './require-principal.js';
import { meOf } from './sign-in-service.js';
import type { TokensService } from './tokens-service.js';
import type { TwoFactorService } from './two-factor-service.js';

/** The signed-in user's own profile and password. */
export function meRoutes(auth: AuthService) {
  return contractRoutes('me', {
    get: (request) => meOf(requirePrincipal(request)),
    changePassword: async (request, reply) => {
      const { currentPassword, newPassword } = request.body;
      await auth.changePassword(requirePrincipal(request), currentPassword, newPassword);
      return reply.status(204).send(null);
    },
  });
}

/** The signed-in user's sessions. */
export function sessionsRoutes(auth: AuthService) {
  return contractRoutes('sessions', {
    list: (request) => auth.listSessions(requirePrincipal(request)),
    removeOthers: async (request) => {
      const ended = await auth.revokeOtherSessions(requirePrincipal(request));
      auditInfo(request).details = { ended };
      return { ended };
    },
    remove: async (request, reply) => {
      await auth.revokeSession(requirePrincipal(request), request.params.id);
      return reply.status(204).send(null);
    },
  });
}

/** The signed-in user's API tokens. */
export function tokensRoutes(tokens: TokensService) {
  return contractRoutes('tokens', {
    list: async (request) => ({ tokens: await tokens.list(requirePrincipal(request)) }),
    create: async (request, reply) => {
      const created = await tokens.create(requirePrincipal(request), request.body);
      auditInfo(request).target = created.token.id;
      auditInfo(request).details = { name: created.token.name, role: created.token.role };
      return reply.status(201).send(created);
    },
    remove: async (request, reply) => {
      await tokens.revoke(requirePrincipal(request), request.params.id);
      return reply.status(204).send(null);
    },
  });
}

/** The signed-in user's two-factor authentication. */
export function twoFactorRoutes(twoFactor: TwoFactorService) {
  return contractRoutes('twoFactor', {
    setup: (request) => twoFactor.beginEnrolment(requirePrincipal(request)),
    enable: async (request) => ({
      recoveryCodes: await twoFactor.enable(requirePrincipal(request), request.body.code),
    }),
    disable: async (request, reply) => {
      await twoFactor.disable(requirePrincipal(request), request.body.password);
      return reply.status(204).send(null);
    },
    recoveryCodes: async (request) => ({
      recoveryCodes: await twoFactor.regenerateRecoveryCodes(
        requirePrincipal(request),
        request.body.password,
      ),
    }),
  });
}
