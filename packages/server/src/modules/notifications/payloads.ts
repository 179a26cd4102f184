import { createHmac } from 'node:crypto';
import type { AlertNotification, OutgoingMessage, ResolvedChannel } from './notifier.js';

export interface HttpRequest {
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Green resolved/test, amber warning, red critical: the colours every chat client shows. */
function colour(n: AlertNotification): number {
  if (n.status !== 'firing') return 0x2eb67d;
  return n.severity === 'critical' ? 0xe01e5a : n.severity === 'warning' ? 0xecb22e : 0x36c5f0;
}

function statusWord(n: AlertNotification): string {
  return n.status === 'firing' ? n.severity.toUpperCase() : n.status.toUpperCase();
}

function fieldList(n: AlertNotification): [string, string][] {
  return Object.entries(n.fields ?? {});
}

/** The generic webhook: Berth's own JSON, signed when the channel has a secret. */
export function webhookRequest(
  channel: ResolvedChannel,
  message: OutgoingMessage,
  secret: string | undefined,
): HttpRequest {
  const n = message.notification;
  const body = JSON.stringify({
    version: 1,
    event: n.status === 'test' ? 'test' : `alert.${n.status}`,
    sentAt: message.sentAt,
    deliveryId: message.deliveryId,
    channel: { id: channel.id, name: channel.name },
    notification: n,
  });
  const headers: Record<string, string> = {
    ...JSON_TYPE,
    'x-berth-timestamp': String(Math.floor(Date.parse(message.sentAt) / 1000)),
    'x-berth-delivery': String(message.deliveryId),
  };
  if (secret !== undefined)
    headers['x-berth-signature'] =
      `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return { headers, body };
}

/** Slack incoming webhook: `text` (the notification's fallback) and a coloured attachment. */
export function slackRequest(message: OutgoingMessage): HttpRequest {
  const n = message.notification;
  const attachment = {
    color: `#${colour(n).toString(16).padStart(6, '0')}`,
    title: n.title,
    ...(n.url ? { title_link: n.url } : {}),
    text: n.body,
    fields: fieldList(n).map(([title, value]) => ({ title, value, short: value.length < 40 })),
    footer: 'Berth',
    ts: Math.floor(Date.parse(n.at) / 1000),
  };
  const body = { text: `[${statusWord(n)}] ${n.title}`, attachments: [attachment] };
  return { headers: JSON_TYPE, body: JSON.stringify(body) };
}

/** Discord webhook: one embed (title, description, colour, fields, timestamp). */
export function discordRequest(message: OutgoingMessage): HttpRequest {
  const n = message.notification;
  const embed = {
    title: `[${statusWord(n)}] ${n.title}`.slice(0, 256),
    description: n.body.slice(0, 4096),
    ...(n.url ? { url: n.url } : {}),
    color: colour(n),
    fields: fieldList(n)
      .slice(0, 25)
      .map(([name, value]) => ({
        name: name.slice(0, 256),
        value: value.slice(0, 1024),
        inline: true,
      })),
    footer: { text: 'Berth' },
    timestamp: n.at,
  };
  return {
    headers: JSON_TYPE,
    body: JSON.stringify({ username: 'Berth', embeds: [embed], allowed_mentions: { parse: [] } }),
  };
}

const NTFY_PRIORITY = { info: '3', warning: '4', critical: '5' } as const;
const NTFY_TAGS = { info: 'information_source', warning: 'warning', critical: 'rotating_light' };

/** ntfy: the body is the message; title, priority, tags and click link go in headers. */
export function ntfyRequest(message: OutgoingMessage, token: string | undefined): HttpRequest {
  const n = message.notification;
  const firing = n.status === 'firing';
  const lines = [n.body, ...fieldList(n).map(([k, v]) => `${k}: ${v}`)];
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    // Header values are Latin-1 on the wire: ntfy decodes RFC 2047 encoded words in them.
    'x-title': encodedWord(n.title),
    'x-priority': firing ? NTFY_PRIORITY[n.severity] : '2',
    'x-tags': firing ? NTFY_TAGS[n.severity] : 'white_check_mark',
  };
  if (n.url) headers['x-click'] = n.url;
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return { headers, body: lines.join('\n') };
}

const GOTIFY_PRIORITY = { info: 4, warning: 6, critical: 8 } as const;

/** Gotify: POST /message with the application token in X-Gotify-Key. */
export function gotifyRequest(message: OutgoingMessage, token: string): HttpRequest {
  const n = message.notification;
  const lines = [n.body, ...fieldList(n).map(([k, v]) => `${k}: ${v}`)];
  const body = {
    title: `[${statusWord(n)}] ${n.title}`,
    message: lines.join('\n'),
    priority: n.status === 'firing' ? GOTIFY_PRIORITY[n.severity] : 2,
    ...(n.url ? { extras: { 'client::notification': { click: { url: n.url } } } } : {}),
  };
  return { headers: { ...JSON_TYPE, 'x-gotify-key': token }, body: JSON.stringify(body) };
}

/** An RFC 2047 encoded word when the text is not plain ASCII. */
function encodedWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}
