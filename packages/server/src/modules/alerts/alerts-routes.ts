import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { AlertRulesService } from './alert-rules-service.js';
import type { AlertsService } from './alerts-service.js';

/** Alert rules (admin), alerts, acknowledgement and silences. */
export function alertsRoutes(rules: AlertRulesService, alerts: AlertsService) {
  return contractRoutes('alerts', {
    listRules: async () => ({ rules: await rules.list() }),
    createRule: async (request, reply) => {
      const rule = await rules.create(request.body);
      auditInfo(request).target = rule.id;
      auditInfo(request).details = { name: rule.name, kind: rule.kind, scope: rule.scope };
      return reply.status(201).send(rule);
    },
    getRule: (request) => rules.get(request.params.id),
    updateRule: async (request) => {
      const rule = await rules.update(request.params.id, request.body);
      auditInfo(request).details = { name: rule.name, changes: request.body };
      return rule;
    },
    removeRule: async (request, reply) => {
      await rules.delete(request.params.id);
      return reply.status(204).send(null);
    },
    list: async (request) => ({
      alerts: await alerts.list(request.query, (host) => request.canSeeHost(host)),
    }),
    ack: async (request) => {
      const username = requirePrincipal(request).user.username;
      const alert = await alerts.acknowledge(request.params.id, username, (host) =>
        request.canSeeHost(host),
      );
      auditInfo(request).details = { rule: alert.ruleName, subject: alert.subject };
      return alert;
    },
    listSilences: async () => ({ silences: await alerts.silences() }),
    createSilence: async (request, reply) => {
      const silence = await alerts.createSilence(
        request.body,
        requirePrincipal(request).user.username,
      );
      auditInfo(request).target = silence.id;
      auditInfo(request).details = { matchers: silence.matchers, endsAt: silence.endsAt };
      return reply.status(201).send(silence);
    },
    removeSilence: async (request, reply) => {
      await alerts.endSilence(request.params.id);
      return reply.status(204).send(null);
    },
  });
}
