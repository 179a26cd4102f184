import { createTransport } from 'nodemailer';
import type { ChannelSettings } from '@berth/contract';
import type { AlertNotification, OutgoingMessage } from './notifier.js';

type EmailSettings = Extract<ChannelSettings, { kind: 'email' }>['config'];

/** `[CRITICAL] title`, `[RESOLVED] title`, `[TEST] title`: what a mailbox list shows. */
export function emailSubject(n: AlertNotification): string {
  const word = n.status === 'firing' ? n.severity.toUpperCase() : n.status.toUpperCase();
  return `[${word}] ${n.title}`;
}

export function emailText(n: AlertNotification): string {
  const lines = [n.body, ''];
  for (const [key, value] of Object.entries(n.fields ?? {})) lines.push(`${key}: ${value}`);
  if (n.url) lines.push('', n.url);
  lines.push('', `-- Berth, ${n.at}`);
  return lines.join('\n');
}

/**
 * Sends one notification over SMTP: TLS from the start (`tls`), a plain connection upgraded
 * with STARTTLS which must succeed (`starttls`), or plain (`none`); AUTH when a username is set.
 */
export async function sendEmail(config: EmailSettings, message: OutgoingMessage): Promise<void> {
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    ...(config.username !== undefined
      ? { auth: { user: config.username, pass: config.password ?? '' } }
      : {}),
    tls: { ...(config.ca !== undefined ? { ca: config.ca } : {}), minVersion: 'TLSv1.2' },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  const abort = (): void => transport.close();
  message.signal.addEventListener('abort', abort, { once: true });
  try {
    await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: emailSubject(message.notification),
      text: emailText(message.notification),
      headers: { 'X-Berth-Delivery': String(message.deliveryId) },
    });
  } finally {
    message.signal.removeEventListener('abort', abort);
    transport.close();
  }
}
