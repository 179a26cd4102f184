import type { ChannelSettings, DeliveryResult } from '@berth/contract';
import { AppError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { DeliveriesRepository, DeliveryRecord } from './deliveries-repository.js';

export type { DeliveryResult } from '@berth/contract';

/** What an alert (or a test) says, whatever the channel it goes to. */
export interface AlertNotification {
  title: string;
  body: string;
  severity: 'info' | 'warning' | 'critical';
  status: 'firing' | 'resolved' | 'test';
  /** A link back to Berth (the alert, the container). */
  url?: string;
  fields?: Record<string, string>;
  alertId?: string;
  ruleId?: string;
  hostId?: string;
  at: string;
}

/** A channel with its settings in clear, as a sender needs it. */
export interface ResolvedChannel {
  id: string;
  name: string;
  enabled: boolean;
  settings: ChannelSettings;
}

export interface ChannelResolver {
  resolve(id: string): Promise<ResolvedChannel | undefined>;
}

/** One attempt at one delivery, as a sender sees it. */
export interface OutgoingMessage {
  notification: AlertNotification;
  deliveryId: number;
  /** When this attempt is made (ISO). */
  sentAt: string;
  /** Aborted when the attempt takes too long. */
  signal: AbortSignal;
}

/** Sends one message to one channel; throws with the reason it could not. */
export type ChannelSender = (channel: ResolvedChannel, message: OutgoingMessage) => Promise<void>;

export interface DeliveryOptions {
  /** Attempts before a delivery is failed for good. */
  maxAttempts: number;
  /** The wait after the first failed attempt; it doubles after each next one. */
  retryBaseMs: number;
  /** One attempt's limit. */
  attemptTimeoutMs: number;
  /** Finished records older than this are pruned… */
  keepDays: number;
  /** …and beyond this many. */
  keepRecords: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  maxAttempts: 5,
  retryBaseMs: 30_000,
  attemptTimeoutMs: 15_000,
  keepDays: 30,
  keepRecords: 10_000,
};

/** The wait after `attempts` failed attempts: the base, doubling after each next failure. */
export function retryDelayMs(options: Pick<DeliveryOptions, 'retryBaseMs'>, attempts: number) {
  return options.retryBaseMs * 2 ** Math.max(0, attempts - 1);
}

const BATCH = 50;
const MAX_TIMER_MS = 2 ** 31 - 1;
const DAY_MS = 86_400_000;

/**
 * Sends notifications to channels through a queue kept in the database: each delivery is a row,
 * attempted at once, retried with exponential backoff until sent or out of attempts, its outcome
 * kept. Pending deliveries resume after a restart (`start`).
 */
export class Notifier {
  private readonly options: DeliveryOptions;
  private readonly now: () => number;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: {
      deliveries: DeliveriesRepository;
      channels: ChannelResolver;
      send: ChannelSender;
      logger: Logger;
      options?: Partial<DeliveryOptions>;
      now?: () => number;
    },
  ) {
    this.options = { ...DEFAULT_DELIVERY_OPTIONS, ...deps.options };
    this.now = deps.now ?? Date.now;
  }

  /** Starts the queue: deliveries left pending (by a stop or a crash) are attempted again. */
  start(): void {
    this.stopped = false;
    // A "send test" the last process did not finish: its outcome is unknown, not pending.
    this.track(
      this.deps.deliveries.failInterrupted(this.iso()).then(() => {
        this.kick();
      }),
    );
  }

  /** Stops attempting; what is being sent finishes, the rest waits for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight, this.running]);
  }

  /** Queues one delivery per enabled channel; each is recorded, sent, retried, its outcome kept. */
  enqueue(channelIds: string[], notification: AlertNotification): void {
    this.track(this.insert([...new Set(channelIds)], notification));
  }

  /** Sends to one channel now, once, bypassing the queue (the "send test" path); recorded too. */
  async deliverNow(channelId: string, notification: AlertNotification): Promise<DeliveryResult> {
    const channel = await this.deps.channels.resolve(channelId);
    if (!channel) throw AppError.notFound('channel_not_found', `No channel "${channelId}"`);
    const at = this.iso();
    const id = await this.deps.deliveries.insert(
      channel.id,
      JSON.stringify(notification),
      at,
      null,
    );
    const error = await this.attempt(channel, id, notification);
    const status = error === null ? 'sent' : 'failed';
    const done = this.iso();
    await this.deps.deliveries.record(id, {
      status,
      attempts: 1,
      nextAttemptAt: null,
      lastError: error,
      at: done,
    });
    return { deliveryId: id, channelId: channel.id, status, attempts: 1, error, at: done };
  }

  private async insert(channelIds: string[], notification: AlertNotification): Promise<void> {
    const body = JSON.stringify(notification);
    for (const channelId of channelIds) {
      const channel = await this.deps.channels.resolve(channelId);
      if (!channel) {
        this.deps.logger.warn({ channelId }, 'notification for an unknown channel dropped');
        continue;
      }
      if (!channel.enabled) continue;
      const at = this.iso();
      await this.deps.deliveries.insert(channel.id, body, at, at);
    }
    this.kick();
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.rounds()
      .catch((err: unknown) => {
        this.deps.logger.error({ err: errorMessage(err) }, 'notification queue failed');
      })
      .finally(() => {
        this.running = null;
      });
  }

  /** Attempts every due delivery, then waits for the next one due. */
  private async rounds(): Promise<void> {
    for (;;) {
      this.again = false;
      const due = await this.deps.deliveries.due(this.iso(), BATCH);
      await Promise.all(due.map((d) => this.settle(d)));
      if (this.stopped) return;
      if (!this.again && due.length < BATCH) break;
    }
    const keepFrom = new Date(this.now() - this.options.keepDays * DAY_MS).toISOString();
    await this.deps.deliveries.prune(keepFrom, this.options.keepRecords);
    await this.schedule();
  }

  private async schedule(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = await this.deps.deliveries.nextDueAt();
    if (next === null || this.stopped) return;
    const wait = Math.min(Math.max(0, Date.parse(next) - this.now()), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, wait);
    this.timer.unref();
  }

  private async settle(delivery: DeliveryRecord): Promise<void> {
    const channel = await this.deps.channels.resolve(delivery.channelId);
    const notification = JSON.parse(delivery.notification) as AlertNotification;
    const attempts = delivery.attempts + 1;
    const error = !channel
      ? 'the channel no longer exists'
      : !channel.enabled
        ? 'the channel is disabled'
        : await this.attempt(channel, delivery.id, notification);
    const at = this.iso();
    if (error === null) {
      await this.deps.deliveries.record(delivery.id, {
        status: 'sent',
        attempts,
        nextAttemptAt: null,
        lastError: null,
        at,
      });
      return;
    }
    const retry = channel?.enabled === true && attempts < this.options.maxAttempts;
    const wait = retryDelayMs(this.options, attempts);
    await this.deps.deliveries.record(delivery.id, {
      status: retry ? 'pending' : 'failed',
      attempts,
      nextAttemptAt: retry ? new Date(this.now() + wait).toISOString() : null,
      lastError: error,
      at,
    });
    this.deps.logger.warn(
      { channelId: delivery.channelId, deliveryId: delivery.id, attempts, error, retry },
      'notification delivery failed',
    );
  }

  /** One attempt: null when sent, else why not. */
  private async attempt(
    channel: ResolvedChannel,
    deliveryId: number,
    notification: AlertNotification,
  ): Promise<string | null> {
    const signal = AbortSignal.timeout(this.options.attemptTimeoutMs);
    try {
      await this.deps.send(channel, { notification, deliveryId, sentAt: this.iso(), signal });
      return null;
    } catch (err) {
      if (signal.aborted) {
        const ms = this.options.attemptTimeoutMs;
        return `no answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`;
      }
      return errorMessage(err);
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => {
      this.deps.logger.error({ err: errorMessage(err) }, 'queueing a notification failed');
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

/** What "send test" sends. */
export function testNotification(channelName: string, at: string): AlertNotification {
  return {
    title: 'Test notification from Berth',
    body: `If you can read this, the channel "${channelName}" works.`,
    severity: 'info',
    status: 'test',
    fields: { channel: channelName },
    at,
  };
}
