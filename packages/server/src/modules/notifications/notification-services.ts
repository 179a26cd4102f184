import type { DeliveryList, DeliveryStatus } from '@berth/contract';
import type { SecretBox } from '../../core/crypto.js';
import type { Db } from '../../core/db/database.js';
import type { Logger } from '../../core/logger.js';
import { sendToChannel } from './channel-senders.js';
import { ChannelsService } from './channels-service.js';
import { DeliveriesRepository } from './deliveries-repository.js';
import { ChannelsRepository } from './notifications-repository.js';
import {
  Notifier,
  type AlertNotification,
  type ChannelSender,
  type DeliveryOptions,
} from './notifier.js';

/** The delivery records, newest first, as the API shows them. */
export class DeliveriesLog {
  constructor(private readonly deliveries: DeliveriesRepository) {}

  async list(filter: {
    channel?: string;
    status?: DeliveryStatus;
    limit: number;
  }): Promise<DeliveryList> {
    const records = await this.deliveries.list(filter);
    return {
      deliveries: records.map((r) => {
        const n = JSON.parse(r.notification) as AlertNotification;
        return {
          id: r.id,
          channelId: r.channelId,
          channelName: r.channelName,
          title: n.title,
          severity: n.severity,
          notificationStatus: n.status,
          alertId: n.alertId ?? null,
          status: r.status,
          attempts: r.attempts,
          nextAttemptAt: r.nextAttemptAt,
          lastError: r.lastError,
          createdAt: r.createdAt,
          sentAt: r.sentAt,
        };
      }),
    };
  }
}

/**
 * Channels, their delivery queue and its records. `notifier` is what other modules send
 * through (`services.notifier.enqueue(channelIds, notification)`); start it once at boot.
 */
export function notificationServices(deps: {
  db: Db;
  box: SecretBox;
  logger: Logger;
  now: () => number;
  options?: Partial<DeliveryOptions>;
  send?: ChannelSender;
}) {
  const channels = new ChannelsService(new ChannelsRepository(deps.db), deps.box);
  const deliveries = new DeliveriesRepository(deps.db);
  const notifier = new Notifier({
    deliveries,
    channels,
    send: deps.send ?? sendToChannel,
    logger: deps.logger,
    options: deps.options,
    now: deps.now,
  });
  return {
    notifier,
    notificationChannels: channels,
    notificationDeliveries: new DeliveriesLog(deliveries),
  };
}
