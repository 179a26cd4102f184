import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { SecureContextOptions } from 'node:tls';
import { join } from 'node:path';
import type { ChannelCreate, DeliveryResult } from '@berth/contract';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/free-port.js';
import { makeTlsCertificates, type TlsFiles } from '../../../testing/tls-certificates.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';
import { testNotification, type AlertNotification } from '../notifier.js';

interface Received {
  from: string;
  to: string[];
  user: string | undefined;
  secure: boolean;
  raw: string;
}

/** A real SMTP server on loopback: STARTTLS or TLS with the given certificate, AUTH PLAIN/LOGIN. */
async function startSmtp(tls: TlsFiles, secure: boolean) {
  const received: Received[] = [];
  // smtp-server's own types lose the TLS options under this project's settings (a default
  // import of node:tls without esModuleInterop): the options are typed here.
  const tlsOptions: SecureContextOptions = { key: tls.key, cert: tls.cert };
  const server = new SMTPServer({
    secure,
    ...(tlsOptions as object),
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'berth' && auth.password === 'mail-password')
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          secure: session.secure,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => {
    server.listen(port, '127.0.0.1', resolve);
  });
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The text of a quoted-printable or 7-bit body, lines joined. */
function decoded(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\r\n/g, '\n');
}

describe('email channels against a real SMTP server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-smtp-'));
  let tls: TlsFiles;
  let t: TestApp;

  beforeAll(async () => {
    tls = (await makeTlsCertificates(dir, 'smtp', '127.0.0.1')).server;
    t = await startTestApp({ endpoint: NO_ENGINE, notificationDelivery: { retryBaseMs: 20 } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An email channel to the test server, with AUTH as berth unless `auth` is null. */
  async function channel(
    name: string,
    port: number,
    security: 'starttls' | 'tls',
    auth: { password: string } | null = { password: 'mail-password' },
    config: Record<string, unknown> = {},
  ): Promise<string> {
    const body = {
      name,
      enabled: true,
      kind: 'email',
      config: {
        host: '127.0.0.1',
        from: 'berth@example.com',
        to: ['ops@example.com', 'oncall@example.com'],
        ca: tls.ca,
        port,
        security,
        ...(auth ? { username: 'berth', password: auth.password } : {}),
        ...config,
      },
    } as ChannelCreate;
    return (await t.services.notificationChannels.create(body)).id;
  }

  it('sends over STARTTLS with AUTH: the right subject and body', async () => {
    const smtp = await startSmtp(tls, false);
    try {
      const id = await channel('starttls', smtp.port, 'starttls');
      const notification: AlertNotification = {
        title: 'web exited with code 1',
        body: 'The container web on local exited with code 1.',
        severity: 'critical',
        status: 'firing',
        url: 'https://berth.example/hosts/local/containers/web',
        fields: { host: 'local', container: 'web' },
        at: '2026-12-02T21:00:00.000Z',
      };
      const result: DeliveryResult = await t.services.notifier.deliverNow(id, notification);
      expect(result).toMatchObject({ status: 'sent', error: null });
      expect(smtp.received).toHaveLength(1);
      const [mail] = smtp.received;
      expect(mail).toMatchObject({
        from: 'berth@example.com',
        to: ['ops@example.com', 'oncall@example.com'],
        user: 'berth',
        secure: true,
      });
      const text = decoded(mail?.raw ?? '');
      expect(text).toMatch(/^Subject: \[CRITICAL\] web exited with code 1$/m);
      expect(text).toContain('The container web on local exited with code 1.');
      expect(text).toContain('container: web');
      expect(text).toContain('https://berth.example/hosts/local/containers/web');
    } finally {
      await smtp.close();
    }
  });

  it('sends over TLS from the start, a resolved alert', async () => {
    const smtp = await startSmtp(tls, true);
    try {
      const id = await channel('tls', smtp.port, 'tls');
      const result = await t.services.notifier.deliverNow(id, {
        title: 'web is running again',
        body: 'Resolved after 3 minutes.',
        severity: 'critical',
        status: 'resolved',
        at: new Date().toISOString(),
      });
      expect(result.status).toBe('sent');
      const text = decoded(smtp.received[0]?.raw ?? '');
      expect(text).toMatch(/^Subject: \[RESOLVED\] web is running again$/m);
      expect(smtp.received[0]?.secure).toBe(true);
    } finally {
      await smtp.close();
    }
  });

  it('fails with the reason: a wrong password, an untrusted certificate', async () => {
    const smtp = await startSmtp(tls, false);
    try {
      const wrong = await channel('wrong password', smtp.port, 'starttls', {
        password: 'not-the-password',
      });
      const refused = await t.services.notifier.deliverNow(
        wrong,
        testNotification('wrong password', new Date().toISOString()),
      );
      expect(refused.status).toBe('failed');
      expect(refused.error).toMatch(/Invalid username or password/);
      // No CA given: the server's self-signed CA is not one the system trusts.
      const untrusted = await channel('untrusted', smtp.port, 'starttls', null, { ca: undefined });
      const result = await t.services.notifier.deliverNow(
        untrusted,
        testNotification('untrusted', new Date().toISOString()),
      );
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/certificate/i);
      expect(smtp.received).toHaveLength(0);
    } finally {
      await smtp.close();
    }
  });
});
