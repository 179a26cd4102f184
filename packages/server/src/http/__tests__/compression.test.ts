import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRoot } from '../../package-paths.js';
import { type ApiClient, setupAdmin } from '../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { EngineFixtures } from '../../testing/test-engine.js';
import { waitFor } from '../../testing/wait-for.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Over a real socket, so that what the client sees is what goes over the wire. */
function fetchRaw(port: number, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = (answer: Answer): Buffer => {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(answer.body);
  if (encoding === 'gzip') return gunzipSync(answer.body);
  return answer.body;
};

describe('compression and caching', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let admin: ApiClient;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('compresses API JSON with brotli or gzip when accepted, and not otherwise', async () => {
    const plain = await fetchRaw(port, '/api/openapi.json', admin.headers);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const expected: unknown = JSON.parse(plain.body.toString('utf8'));
    for (const encoding of ['br', 'gzip']) {
      const answer = await fetchRaw(port, '/api/openapi.json', {
        ...admin.headers,
        'accept-encoding': encoding,
      });
      expect(answer.headers['content-encoding']).toBe(encoding);
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      expect(answer.body.length).toBeLessThan(plain.body.length / 3);
      expect(JSON.parse(decode(answer).toString('utf8'))).toEqual(expected);
    }
    const session = await fetchRaw(port, '/api/me', {
      ...admin.headers,
      'accept-encoding': 'gzip, deflate, br',
    });
    expect(session.status).toBe(200);
    // Under the 1 KiB threshold: compressing would cost more than it saves.
    expect(session.headers['content-encoding']).toBeUndefined();
  });

  it('serves the built script precompressed and cached for good, index.html revalidated', async () => {
    const html = readFileSync(join(webRoot, 'index.html'), 'utf8');
    const script = /<script type="module"[^>]*src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const raw = readFileSync(join(webRoot, script ?? ''));
    for (const encoding of ['br', 'gzip']) {
      const answer = await fetchRaw(port, script ?? '', { 'accept-encoding': encoding });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe(encoding);
      expect(answer.headers['content-type']).toMatch(/javascript/);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(decode(answer).equals(raw)).toBe(true);
    }
    const identity = await fetchRaw(port, script ?? '', {});
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.equals(raw)).toBe(true);

    for (const path of ['/', '/index.html', '/containers/some-deep-link']) {
      const page = await fetchRaw(port, path, { 'accept-encoding': 'br' });
      expect(page.status, path).toBe(200);
      expect(page.headers['cache-control'], path).toBe('no-cache');
      expect(decode(page).toString('utf8'), path).toContain('<div id="root">');
    }
  });

  it('leaves downloads as they are, streamed', async () => {
    const id = await fixtures.createContainer('talker', ['sh', '-c', 'seq 1 5000; sleep 300']);
    await fixtures.start(id);
    const download = (): Promise<Answer> =>
      fetchRaw(port, `/api/hosts/local/containers/${id}/logs/download?tail=all`, {
        ...admin.headers,
        'accept-encoding': 'br, gzip',
      });
    const answer = await waitFor('every line in the download', async () => {
      const res = await download();
      return res.body.toString('utf8').includes('\n5000\n') ? res : undefined;
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers['content-disposition']).toMatch(/^attachment/);
  });
});
