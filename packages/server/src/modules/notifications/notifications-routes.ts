import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { ChannelsService } from './channels-service.js';
import type { DeliveriesLog } from './notification-services.js';
import { testNotification, type Notifier } from './notifier.js';

/** Notification channels and their deliveries: admins only; secrets go in, never come out. */
export function notificationsRoutes(deps: {
  channels: ChannelsService;
  notifier: Notifier;
  deliveries: DeliveriesLog;
}) {
  const { channels, notifier } = deps;
  return contractRoutes('notifications', {
    listChannels: async () => ({ channels: await channels.list() }),
    createChannel: async (request, reply) => {
      const created = await channels.create(request.body);
      auditInfo(request).target = created.id;
      const { name, kind, enabled } = request.body;
      auditInfo(request).details = { name, kind, enabled };
      return reply.status(201).send(created);
    },
    getChannel: (request) => channels.get(request.params.id),
    updateChannel: (request) => {
      const { config, ...rest } = request.body;
      auditInfo(request).target = request.params.id;
      // The names of the settings changed, never their values (secrets among them).
      auditInfo(request).details = { ...rest, settingsChanged: Object.keys(config ?? {}) };
      return channels.update(request.params.id, request.body);
    },
    removeChannel: async (request, reply) => {
      auditInfo(request).target = request.params.id;
      await channels.delete(request.params.id);
      return reply.status(204).send(null);
    },
    testChannel: async (request) => {
      const channel = await channels.get(request.params.id);
      const result = await notifier.deliverNow(
        channel.id,
        testNotification(channel.name, new Date().toISOString()),
      );
      auditInfo(request).target = channel.id;
      auditInfo(request).details = { status: result.status, error: result.error };
      return result;
    },
    deliveries: (request) => deps.deliveries.list(request.query),
  });
}
