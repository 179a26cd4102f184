import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelView, DeliveryView } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/free-port.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';
import { waitFor } from '../../../testing/wait-for.js';
import { DeliveriesRepository } from '../deliveries-repository.js';
import { retryDelayMs, type AlertNotification } from '../notifier.js';
import { startReceiver } from './http-receiver.js';

const FAST = { retryBaseMs: 20, maxAttempts: 5 };

function alert(title: string): AlertNotification {
  return {
    title,
    body: 'web exited with code 1',
    severity: 'critical',
    status: 'firing',
    alertId: `alert-${title}`,
    at: new Date().toISOString(),
  };
}

async function webhook(t: TestApp, name: string, url: string, enabled = true): Promise<string> {
  const channel: ChannelView = await t.services.notificationChannels.create({
    name,
    enabled,
    kind: 'webhook',
    config: { url },
  });
  return channel.id;
}

async function deliveriesOf(t: TestApp, channel: string): Promise<DeliveryView[]> {
  return (await t.services.notificationDeliveries.list({ channel, limit: 100 })).deliveries;
}

function settled(t: TestApp, channel: string, count = 1) {
  return waitFor(`${count} settled deliveries to ${channel}`, async () => {
    const list = await deliveriesOf(t, channel);
    return list.length >= count && list.every((d) => d.status !== 'pending') && list;
  });
}

describe('the delivery queue', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE, notificationDelivery: FAST });
  });
  afterAll(async () => {
    await t.close();
  });

  it('waits the base, then doubles it after each failure', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs({ retryBaseMs: 30_000 }, n))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
  });

  it('retries a server that answers 500 twice, and records it sent after 3 attempts', async () => {
    const receiver = await startReceiver([500, 500, 200]);
    try {
      const id = await webhook(t, 'flaky', receiver.url);
      t.services.notifier.enqueue([id], alert('flaky'));
      const [delivery] = await settled(t, id);
      expect(delivery).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
      expect(delivery?.sentAt).not.toBeNull();
      expect(receiver.received).toHaveLength(3);
      const ids = receiver.received.map((r) => r.headers['x-berth-delivery']);
      expect(new Set(ids).size).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('fails a delivery to a dead port after its attempts, with the reason', async () => {
    const id = await webhook(t, 'dead', `http://127.0.0.1:${await freePort()}/`);
    t.services.notifier.enqueue([id], alert('dead'));
    const [delivery] = await settled(t, id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 5, nextAttemptAt: null });
    expect(delivery?.lastError).toMatch(/ECONNREFUSED/);
  });

  it('records a 500 with the status and what the server said', async () => {
    const receiver = await startReceiver([500]);
    try {
      const id = await webhook(t, 'broken', receiver.url);
      t.services.notifier.enqueue([id], alert('broken'));
      const [delivery] = await settled(t, id);
      expect(delivery).toMatchObject({ status: 'failed', attempts: 5 });
      expect(delivery?.lastError).toBe('HTTP 500 Internal Server Error: receiver says no');
    } finally {
      await receiver.close();
    }
  });

  it('gives up on an attempt that gets no answer, saying so', async () => {
    // Accepts connections and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const quick = await startTestApp({
      endpoint: NO_ENGINE,
      notificationDelivery: { ...FAST, maxAttempts: 2, attemptTimeoutMs: 200 },
    });
    try {
      const id = await webhook(quick, 'silent', `http://127.0.0.1:${port}/`);
      quick.services.notifier.enqueue([id], alert('silent'));
      const [delivery] = await settled(quick, id);
      expect(delivery).toMatchObject({
        status: 'failed',
        attempts: 2,
        lastError: 'no answer within 200 ms',
      });
    } finally {
      await quick.close();
      silent.close();
    }
  });

  it('sends one delivery per enabled channel, none to disabled or unknown ones', async () => {
    const receiver = await startReceiver();
    try {
      const on = await webhook(t, 'on', receiver.url);
      const off = await webhook(t, 'off', receiver.url, false);
      t.services.notifier.enqueue([on, off, 'no-such-channel', on], alert('fan-out'));
      await settled(t, on);
      expect(await deliveriesOf(t, on)).toHaveLength(1);
      expect(await deliveriesOf(t, off)).toEqual([]);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});

describe('the delivery queue across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-notify-'));
  const databaseFile = join(dir, 'berth.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes pending deliveries when Berth starts again', async () => {
    const receiver = await startReceiver([500, 200]);
    try {
      // A long wait after the first failure: still pending when the process stops.
      const first = await startTestApp({
        endpoint: NO_ENGINE,
        databaseFile,
        notificationDelivery: { retryBaseMs: 60_000 },
      });
      const id = await webhook(first, 'resumed', receiver.url);
      first.services.notifier.enqueue([id], alert('before the restart'));
      const [waiting] = await waitFor('the first attempt', async () => {
        const list = await deliveriesOf(first, id);
        return list[0]?.attempts === 1 && list;
      });
      expect(waiting).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/500/) });
      // Queued while stopping: never attempted by this process.
      await first.services.notifier.stop();
      first.services.notifier.enqueue([id], alert('while stopping'));
      await waitFor('the second delivery queued', async () => {
        return (await deliveriesOf(first, id)).length === 2;
      });
      await first.close();

      // The next start, a minute and more later.
      const second = await startTestApp({
        endpoint: NO_ENGINE,
        databaseFile,
        now: () => Date.now() + 120_000,
      });
      try {
        const list = await settled(second, id, 2);
        expect(list.map((d) => [d.title, d.status])).toEqual([
          ['while stopping', 'sent'],
          ['before the restart', 'sent'],
        ]);
        expect(receiver.received).toHaveLength(3);
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
    }
  });
});

describe('delivery records', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE, notificationDelivery: { keepRecords: 3 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps only the newest finished records', async () => {
    const receiver = await startReceiver();
    try {
      const id = await webhook(t, 'busy', receiver.url);
      for (let i = 1; i <= 6; i++) {
        t.services.notifier.enqueue([id], alert(`number ${i}`));
        await waitFor(`delivery ${i}`, () => receiver.received.length === i);
      }
      const kept = await waitFor('pruned to 3', async () => {
        const list = await deliveriesOf(t, id);
        return list.length === 3 && list.every((d) => d.status === 'sent') && list;
      });
      expect(kept.map((d) => d.title)).toEqual(['number 6', 'number 5', 'number 4']);
    } finally {
      await receiver.close();
    }
  });

  it('forgets finished records older than the retention, never pending ones', async () => {
    // Stopped: the old pending row below stays as it is.
    await t.services.notifier.stop();
    const repository = new DeliveriesRepository(t.db);
    const id = await webhook(t, 'old', 'http://127.0.0.1:9/');
    const old = '2020-01-01T00:00:00.000Z';
    const sent = await repository.insert(id, JSON.stringify(alert('old sent')), old, null);
    await repository.record(sent, {
      status: 'sent',
      attempts: 1,
      nextAttemptAt: null,
      lastError: null,
      at: old,
    });
    const pending = await repository.insert(id, JSON.stringify(alert('old pending')), old, old);
    await repository.prune('2021-01-01T00:00:00.000Z', 100);
    const left = await t.db
      .selectFrom('notification_deliveries')
      .select('id')
      .where('channel_id', '=', id)
      .execute();
    expect(left.map((r) => r.id)).toEqual([pending]);
  });
});
