import { createHmac } from 'node:crypto';
import type { ChannelView, DeliveryList, DeliveryResult } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../testing/api-client.js';
import { setupAdmin } from '../../../testing/api-client.js';
import { freePort } from '../../../testing/free-port.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';
import { startReceiver } from './http-receiver.js';

const SMTP_PASSWORD = 'smtp-password-never-shown';
const HOOK_SECRET = 'hook-secret-never-shown';
const SLACK_URL = 'http://127.0.0.1:9/services/T000/B000/slack-url-never-shown';
const NTFY_TOKEN = 'tk_ntfy-token-never-shown';
const SECRETS = [SMTP_PASSWORD, HOOK_SECRET, 'slack-url-never-shown', NTFY_TOKEN];

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('notification channels API', () => {
  let t: TestApp;
  let admin: ApiClient;
  const answers: string[] = [];

  /** Every answer is kept: none may carry a secret. */
  async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
    const res = await admin.request(method, url, body);
    answers.push(res.body);
    return res;
  }

  async function listChannels(): Promise<ChannelView[]> {
    const res = await call('GET', '/api/notifications/channels');
    return res.json<{ channels: ChannelView[] }>().channels;
  }

  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE });
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates channels of each kind, answering flags instead of secrets', async () => {
    const email = await call('POST', '/api/notifications/channels', {
      name: 'ops mail',
      kind: 'email',
      config: {
        host: 'smtp.example.com',
        port: 587,
        security: 'starttls',
        username: 'berth',
        password: SMTP_PASSWORD,
        from: 'berth@example.com',
        to: ['ops@example.com'],
      },
    });
    expect(email.statusCode).toBe(201);
    const view = email.json<ChannelView>();
    expect(view).toMatchObject({
      name: 'ops mail',
      kind: 'email',
      enabled: true,
      config: { host: 'smtp.example.com', username: 'berth', hasPassword: true },
    });
    expect(view.config).not.toHaveProperty('password');
    const slack = await call('POST', '/api/notifications/channels', {
      name: 'slack',
      kind: 'slack',
      config: { webhookUrl: SLACK_URL },
    });
    expect(slack.json()).toMatchObject({ kind: 'slack', config: { hasWebhookUrl: true } });
    const ntfy = await call('POST', '/api/notifications/channels', {
      name: 'phone',
      kind: 'ntfy',
      config: { serverUrl: 'https://ntfy.sh', topic: 'berth-alerts', token: NTFY_TOKEN },
    });
    expect(ntfy.json()).toMatchObject({ config: { topic: 'berth-alerts', hasToken: true } });
    expect((await listChannels()).map((c) => c.name)).toEqual(['ops mail', 'phone', 'slack']);
  });

  it('seals secrets at rest', async () => {
    const rows = await t.db.selectFrom('notification_channels').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expectNoSecret(JSON.stringify(row));
    expect(rows.every((r) => r.secrets_sealed?.startsWith('v1:'))).toBe(true);
  });

  it('refuses bad settings with a 400 naming the field, and creates nothing', async () => {
    const before = await t.db.selectFrom('notification_channels').select('id').execute();
    const cases: [unknown, string][] = [
      [{ name: 'x', kind: 'pager', config: {} }, 'body.kind'],
      [{ name: 'x', kind: 'webhook', config: { url: 'ftp://example.com/' } }, 'body.config.url'],
      [
        { name: 'x', kind: 'webhook', config: { url: 'https://u:p@example.com/' } },
        'body.config.url',
      ],
      [
        {
          name: 'x',
          kind: 'email',
          config: { host: 'h', port: 70000, security: 'tls', from: 'a@b.c', to: ['d@e.f'] },
        },
        'body.config.port',
      ],
      [
        {
          name: 'x',
          kind: 'email',
          config: { host: 'h', port: 25, security: 'ssl', from: 'a@b.c', to: ['d@e.f'] },
        },
        'body.config.security',
      ],
      [
        {
          name: 'x',
          kind: 'email',
          config: { host: 'h', port: 25, security: 'none', from: 'a@b.c', to: ['nobody'] },
        },
        'body.config.to.0',
      ],
      [
        { name: 'x', kind: 'ntfy', config: { serverUrl: 'https://n', topic: 'a/b' } },
        'body.config.topic',
      ],
      [{ name: 'x', kind: 'gotify', config: { serverUrl: 'https://g' } }, 'body.config.token'],
      [{ name: 'x', kind: 'slack', config: { webhookUrl: 'x', extra: 1 } }, 'body.config.extra'],
      [{ name: '', kind: 'discord', config: { webhookUrl: 'https://d/x' } }, 'body.name'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '/api/notifications/channels', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const issues = res.json<{ error: { details: { issues: { field: string }[] } } }>().error
        .details.issues;
      expect(issues.map((i) => i.field)).toContain(field);
    }
    const taken = await call('POST', '/api/notifications/channels', {
      name: 'slack',
      kind: 'discord',
      config: { webhookUrl: 'https://discord.example/api/webhooks/1/x' },
    });
    expect(taken.statusCode).toBe(409);
    const after = await t.db.selectFrom('notification_channels').select('id').execute();
    expect(after).toEqual(before);
  });

  it('changes settings by PATCH, keeping secrets not given, checking the merged settings', async () => {
    const channels = await listChannels();
    const email = channels.find((c) => c.kind === 'email');
    if (!email) throw new Error('no email channel');
    const changed = await call('PATCH', `/api/notifications/channels/${email.id}`, {
      enabled: false,
      config: { port: 465, security: 'tls' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      enabled: false,
      config: { port: 465, security: 'tls', hasPassword: true },
    });
    const resolved = await t.services.notificationChannels.resolve(email.id);
    expect(resolved?.settings.config).toMatchObject({ password: SMTP_PASSWORD, port: 465 });
    const bad = await call('PATCH', `/api/notifications/channels/${email.id}`, {
      config: { port: 'many', colour: 'red' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(
      /body\.config\.port.*body\.config\.colour|body\.config\.colour.*body\.config\.port/,
    );
    const cleared = await call('PATCH', `/api/notifications/channels/${email.id}`, {
      config: { password: null, username: null },
    });
    expect(cleared.json()).toMatchObject({ config: { hasPassword: false } });
    const missing = await call('PATCH', '/api/notifications/channels/no-such-id', {
      enabled: true,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('sends a signed test to a webhook and records the delivery', async () => {
    const receiver = await startReceiver();
    try {
      const created = await call('POST', '/api/notifications/channels', {
        name: 'hook',
        kind: 'webhook',
        config: { url: `${receiver.url}/berth`, secret: HOOK_SECRET },
      });
      const { id, config } = created.json<ChannelView & { config: { hasSecret: boolean } }>();
      expect(config.hasSecret).toBe(true);
      const res = await call('POST', `/api/notifications/channels/${id}/test`);
      expect(res.statusCode).toBe(200);
      expect(res.json<DeliveryResult>()).toMatchObject({
        status: 'sent',
        attempts: 1,
        error: null,
      });
      expect(receiver.received).toHaveLength(1);
      const [request] = receiver.received;
      if (!request) throw new Error('nothing received');
      const expected = createHmac('sha256', HOOK_SECRET).update(request.body).digest('hex');
      expect(request.headers['x-berth-signature']).toBe(`sha256=${expected}`);
      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        version: 1,
        event: 'test',
        channel: { id, name: 'hook' },
        notification: { title: 'Test notification from Berth', status: 'test' },
      });
      expect(Number(request.headers['x-berth-timestamp'])).toBe(
        Math.floor(Date.parse(body.sentAt as string) / 1000),
      );
      const deliveries = await call('GET', `/api/notifications/deliveries?channel=${id}`);
      expect(deliveries.json<DeliveryList>().deliveries).toMatchObject([
        { channelId: id, channelName: 'hook', status: 'sent', attempts: 1, lastError: null },
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('answers failed with the reason when nothing listens', async () => {
    const port = await freePort();
    const created = await call('POST', '/api/notifications/channels', {
      name: 'dead hook',
      kind: 'webhook',
      config: { url: `http://127.0.0.1:${port}/hook` },
    });
    const { id } = created.json<ChannelView>();
    const res = await call('POST', `/api/notifications/channels/${id}/test`);
    expect(res.json<DeliveryResult>()).toMatchObject({ status: 'failed', attempts: 1 });
    expect(res.json<DeliveryResult>().error).toMatch(/ECONNREFUSED/);
    const failed = await call('GET', '/api/notifications/deliveries?status=failed&limit=5');
    expect(failed.json<DeliveryList>().deliveries[0]).toMatchObject({
      channelId: id,
      status: 'failed',
      lastError: expect.stringMatching(/ECONNREFUSED/) as unknown,
    });
    const badQuery = await call('GET', '/api/notifications/deliveries?limit=0');
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.body).toContain('query.limit');
  });

  it('audits changes, without secrets', async () => {
    const channels = await listChannels();
    const slack = channels.find((c) => c.kind === 'slack');
    if (!slack) throw new Error('no slack channel');
    await call('PATCH', `/api/notifications/channels/${slack.id}`, {
      config: { webhookUrl: `${SLACK_URL}-2` },
    });
    expect((await call('DELETE', `/api/notifications/channels/${slack.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/notifications/channels/${slack.id}`)).statusCode).toBe(404);
    const audit = await call('GET', '/api/audit?action=notification-channel.');
    const actions = audit
      .json<{ entries: { action: string; target: string | null }[] }>()
      .entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'notification-channel.create',
        'notification-channel.update',
        'notification-channel.delete',
        'notification-channel.test',
      ]),
    );
  });

  it('never answered a secret', () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const answer of answers) expectNoSecret(answer);
  });
});
