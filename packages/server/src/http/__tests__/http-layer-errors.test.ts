import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ErrorBody } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor } from '../../testing/api-client.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../testing/test-app.js';

interface Answer {
  status: number;
  body: string;
}

function fieldsOf(text: string): string[] {
  const parsed = ErrorBody.parse(JSON.parse(text));
  const details = parsed.error.details as { issues?: { field: string }[] } | undefined;
  return (details?.issues ?? []).map((i) => i.field);
}

/** Errors the HTTP layer answers itself come in the one error shape, over a real socket too. */
describe('errors of the HTTP layer', () => {
  let t: TestApp;
  let admin: ApiClient;
  let port = 0;
  let secret = '';

  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE });
    admin = await tokenFor(await setupAdmin(t.app), 'http-layer');
    secret = (admin.headers.authorization ?? '').replace('Bearer ', '');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** Sends a request over a socket and reads nothing until all of it is written. */
  function rawExchange(head: string, body: Buffer = Buffer.alloc(0)): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.pause();
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        const [status = '', rest = ''] = text.split('\r\n\r\n');
        resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(status)?.[1] ?? 0), body: rest });
      });
      socket.write(head);
      socket.write(body, () => socket.resume());
    });
  }

  it('answers an oversized body with its 413, not a reset connection', async () => {
    // Like curl or a script: the whole body goes out before the answer is read.
    const size = 8 * 1024 * 1024;
    const answer = await rawExchange(
      `POST /api/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${secret}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`,
      Buffer.alloc(size, 0x20),
    );
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(fieldsOf(answer.body)).toEqual(['body']);
  });

  it('answers headers over the limit with 431 in the error shape', async () => {
    const answer = await rawExchange(
      `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer.status).toBe(431);
    expect(fieldsOf(answer.body)).toEqual(['headers']);
  });

  it('names the field for invalid JSON and an unsupported content type', async () => {
    const broken = await admin.request('POST', '/api/users', '{"username":', {
      'content-type': 'application/json',
    });
    expect(broken.statusCode).toBe(400);
    expect(fieldsOf(broken.body)).toEqual(['body']);
    const xml = await admin.request('POST', '/api/users', '<user/>', {
      'content-type': 'application/xml',
    });
    expect(xml.statusCode).toBe(415);
    expect(fieldsOf(xml.body)).toEqual(['headers.content-type']);
  });

  it('refuses build arguments that are not JSON as a 400 naming query.buildArgs', async () => {
    for (const buildArgs of ['x', '[1]', '{"A":1}']) {
      const res = await admin.request(
        'POST',
        `/api/hosts/local/images/build/context?tag=app:1&buildArgs=${encodeURIComponent(buildArgs)}`,
        Buffer.alloc(1024),
        { 'content-type': 'application/x-tar' },
      );
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res.body).some((f) => f.startsWith('query.buildArgs'))).toBe(true);
    }
  });
});
