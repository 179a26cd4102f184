import type { ChannelCreate } from '@berth/contract';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';
import type { AlertNotification } from '../notifier.js';
import { startReceiver, type ReceivedRequest } from './http-receiver.js';

const FIRING: AlertNotification = {
  title: 'db is unhealthy',
  body: 'The health check of db failed 3 times.',
  severity: 'warning',
  status: 'firing',
  url: 'https://berth.example/hosts/local/containers/db',
  fields: { host: 'local', container: 'db' },
  at: '2026-12-02T21:00:00.000Z',
};

describe('Slack, Discord, ntfy and Gotify payloads, at a local server standing in for them', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    receiver = await startReceiver([204]);
  });
  afterEach(async () => {
    await receiver.close();
  });

  async function sendVia(channel: ChannelCreate): Promise<ReceivedRequest> {
    const { id } = await t.services.notificationChannels.create(channel);
    const result = await t.services.notifier.deliverNow(id, FIRING);
    expect(result).toMatchObject({ status: 'sent', error: null });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    if (!request) throw new Error('nothing received');
    return request;
  }

  it('Slack: text and a coloured attachment with the fields', async () => {
    const request = await sendVia({
      name: 'slack',
      enabled: true,
      kind: 'slack',
      config: { webhookUrl: `${receiver.url}/services/T1/B2/secret` },
    });
    expect(request.url).toBe('/services/T1/B2/secret');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      text: '[WARNING] db is unhealthy',
      attachments: [
        {
          color: '#ecb22e',
          title: 'db is unhealthy',
          title_link: FIRING.url,
          text: FIRING.body,
          fields: [
            { title: 'host', value: 'local', short: true },
            { title: 'container', value: 'db', short: true },
          ],
          footer: 'Berth',
          ts: Date.parse(FIRING.at) / 1000,
        },
      ],
    });
  });

  it('Discord: one embed, no mentions', async () => {
    const request = await sendVia({
      name: 'discord',
      enabled: true,
      kind: 'discord',
      config: { webhookUrl: `${receiver.url}/api/webhooks/123/token` },
    });
    expect(request.url).toBe('/api/webhooks/123/token');
    expect(JSON.parse(request.body)).toEqual({
      username: 'Berth',
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: '[WARNING] db is unhealthy',
          description: FIRING.body,
          url: FIRING.url,
          color: 0xecb22e,
          fields: [
            { name: 'host', value: 'local', inline: true },
            { name: 'container', value: 'db', inline: true },
          ],
          footer: { text: 'Berth' },
          timestamp: FIRING.at,
        },
      ],
    });
  });

  it('ntfy: the message as the body, title, priority, tags and click in headers, the token', async () => {
    const request = await sendVia({
      name: 'ntfy',
      enabled: true,
      kind: 'ntfy',
      config: { serverUrl: `${receiver.url}/`, topic: 'berth-alerts', token: 'tk_secret' },
    });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/berth-alerts');
    expect(request.headers).toMatchObject({
      'x-title': 'db is unhealthy',
      'x-priority': '4',
      'x-tags': 'warning',
      'x-click': FIRING.url,
      authorization: 'Bearer tk_secret',
    });
    expect(request.body).toBe(`${FIRING.body}\nhost: local\ncontainer: db`);
  });

  it('Gotify: POST /message with the app token, title, message and priority', async () => {
    const request = await sendVia({
      name: 'gotify',
      enabled: true,
      kind: 'gotify',
      config: { serverUrl: `${receiver.url}/gotify`, token: 'A1b2C3' },
    });
    expect(request.url).toBe('/gotify/message');
    expect(request.headers['x-gotify-key']).toBe('A1b2C3');
    expect(JSON.parse(request.body)).toEqual({
      title: '[WARNING] db is unhealthy',
      message: `${FIRING.body}\nhost: local\ncontainer: db`,
      priority: 6,
      extras: { 'client::notification': { click: { url: FIRING.url } } },
    });
  });

  it('names a redirect as the reason, without following it', async () => {
    await receiver.close();
    receiver = await startReceiver([302]);
    const { id } = await t.services.notificationChannels.create({
      name: 'moved',
      enabled: true,
      kind: 'discord',
      config: { webhookUrl: `${receiver.url}/api/webhooks/1/x` },
    });
    const result = await t.services.notifier.deliverNow(id, FIRING);
    expect(result).toMatchObject({
      status: 'failed',
      error: 'HTTP 302 Found: redirects are not followed',
    });
  });
});
