import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { ContainerUpdates } from './container-updates.js';
import type { UpdateChecker } from './update-checker.js';

/** Who asked, as the update history records it. */
const actor = (request: Parameters<typeof requirePrincipal>[0]) => {
  const p = requirePrincipal(request);
  return { role: p.role, username: p.user.username };
};

/** Update detection, and updating, retagging and rolling back containers. */
export function updatesRoutes(checker: UpdateChecker, updates: ContainerUpdates) {
  return contractRoutes('updates', {
    list: async (request) => ({ updates: await checker.latest(request.params.host) }),
    check: async (request) => {
      const result = await checker.check(request.params.host);
      auditInfo(request).details = {
        checked: result.length,
        available: result.filter((r) => r.status === 'update-available').length,
      };
      return { updates: result };
    },
    history: async (request) => ({
      history: await updates.history(request.params.host, request.params.id),
    }),
    update: async (request) => {
      const { host, id } = request.params;
      const entry = await updates.update(actor(request), host, id, request.body.validateSeconds);
      auditInfo(request).details = {
        outcome: entry.outcome,
        oldImageId: entry.oldImageId,
        newImageId: entry.newImageId,
      };
      return entry;
    },
    retag: async (request) => {
      const { host, id } = request.params;
      const { tag, validateSeconds } = request.body;
      const entry = await updates.retag(actor(request), host, id, tag, validateSeconds);
      auditInfo(request).details = { outcome: entry.outcome, to: entry.newImage };
      return entry;
    },
    rollback: async (request) => {
      const { host, id } = request.params;
      const { historyId, validateSeconds } = request.body;
      const entry = await updates.rollback(actor(request), host, id, historyId, validateSeconds);
      auditInfo(request).details = { outcome: entry.outcome, to: entry.newImage, historyId };
      return entry;
    },
    preview: async (request) => ({ containers: await updates.preview(request.params.host) }),
    apply: async (request) => {
      const { containers, validateSeconds } = request.body;
      const results = await updates.apply(
        actor(request),
        request.params.host,
        containers,
        validateSeconds,
      );
      auditInfo(request).details = {
        results: results.map((r) => ({ id: r.id, outcome: r.outcome })),
      };
      return { results };
    },
  });
}
