import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host, HostList, HostTestResult } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startIsolatedEngine,
  type IsolatedEngine,
} from '../../../../../../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../../../../../../scripts/lib/test-images.mjs';
import { EngineClient } from '../../../docker/engine-client.js';
import {
  ADMIN,
  login,
  setupAdmin,
  tokenFor,
  userSession,
  type ApiClient,
} from '../../../testing/api-client.js';
import { freePort } from '../../../testing/free-port.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { TEST_IMAGE, testSocketPath } from '../../../testing/test-engine.js';
import { makeTlsCertificates, type TlsFiles } from '../../../testing/tls-certificates.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

/**
 * Hosts added at runtime, against real engines: the test engine (local) and a second isolated
 * dockerd that listens on tcp://127.0.0.1:<port> with --tlsverify and certificates made here
 * with openssl, as the README tells an admin to.
 */
describe('hosts added at runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-tls-'));
  let engine: IsolatedEngine;
  let port: number;
  let good: { server: TlsFiles; client: TlsFiles };
  let stranger: { server: TlsFiles; client: TlsFiles };
  let t: TestApp;
  let admin: ApiClient;

  const tlsHost = (name: string, tls: { ca: string; cert: string; key: string }) => ({
    name,
    kind: 'tcp',
    url: `tcp://127.0.0.1:${port}`,
    tls,
    labels: ['lab'],
  });
  const goodTls = () => ({ ca: good.server.ca, cert: good.client.cert, key: good.client.key });
  const storedIds = async () =>
    (await t.db.selectFrom('hosts').select('id').orderBy('id').execute()).map((r) => r.id);
  const listedIds = async (client: ApiClient) =>
    (await client.get('/api/hosts'))
      .json<HostList>()
      .hosts.map((h) => h.id)
      .sort();

  beforeAll(async () => {
    good = await makeTlsCertificates(dir, 'good');
    stranger = await makeTlsCertificates(dir, 'stranger');
    port = await freePort();
    engine = await startIsolatedEngine({
      bridge: false,
      quiet: true,
      args: [
        '--host',
        `tcp://127.0.0.1:${port}`,
        '--tlsverify',
        '--tlscacert',
        good.server.caFile,
        '--tlscert',
        good.server.certFile,
        '--tlskey',
        good.server.keyFile,
      ],
    });
    await buildTestImages(engine.socketPath);
    t = await startTestApp();
    admin = await setupAdmin(t.app);
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a TLS host, lists its containers, streams its logs, and ends the stream when it is removed', async () => {
    const tested = await admin.post('/api/hosts/test', tlsHost('tls', goodTls()));
    expect(tested.statusCode).toBe(200);
    const test = tested.json<HostTestResult>();
    expect(test).toMatchObject({ ok: true, duplicateOf: null });
    expect(await storedIds()).toEqual(['local']);

    const created = await admin.post('/api/hosts', tlsHost('tls', goodTls()));
    expect(created.statusCode, created.body).toBe(201);
    const host = created.json<Host>();
    expect(host).toMatchObject({
      id: 'tls',
      kind: 'tcp',
      url: `tcp://127.0.0.1:${port}`,
      labels: ['lab'],
      insecure: false,
      tls: { configured: true, serverName: '127.0.0.1' },
      engineId: test.ok ? test.engine.id : 'never',
    });
    // Key material goes in, never comes out, and is sealed at rest.
    expect(created.body).not.toContain('PRIVATE KEY');
    const row = await t.db
      .selectFrom('hosts')
      .select('tls_sealed')
      .where('id', '=', 'tls')
      .executeTakeFirstOrThrow();
    expect(row.tls_sealed).toMatch(/^v1:/);
    expect(row.tls_sealed).not.toContain('PRIVATE KEY');

    // A container on the TLS engine, made behind Berth's back, shows up through the new host.
    const raw = new EngineClient({ transport: 'unix', socketPath: engine.socketPath });
    const { Id: id } = await raw.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: 'talker' },
      body: {
        Image: TEST_IMAGE,
        Cmd: ['sh', '-c', 'echo hello from tls; while true; do sleep 1; echo tick; done'],
        HostConfig: { NetworkMode: 'none' },
      },
    });
    await raw.request('POST', `/containers/${id}/start`);
    await waitFor('the container listed through the TLS host', async () => {
      const res = await admin.get('/api/hosts/tls/containers');
      return res
        .json<{ containers: { id: string; state: string }[] }>()
        .containers.some((c) => c.id === id && c.state === 'running');
    });
    const viewed = (await admin.get('/api/hosts/tls')).json<Host>();
    expect(viewed).toMatchObject({ reachable: true, error: null });
    expect(viewed.latencyMs).toEqual(expect.any(Number));
    expect(viewed.lastEventAt).toEqual(expect.any(String));

    // The added host's image changes are followed too: a tag that moves away is remembered.
    const busybox = (await raw.request<{ Id: string }>('GET', `/images/${TEST_IMAGE}/json`)).Id;
    await raw.request('POST', `/images/${TEST_IMAGE}/tag`, { query: { repo: 'moving', tag: '1' } });
    await waitFor('the tag seen', async () =>
      (await admin.get('/api/hosts/tls/images'))
        .json<{ images: { tags: string[] }[] }>()
        .images.some((i) => i.tags.includes('moving:1')),
    );
    await raw.request('POST', '/commit', { query: { container: id, repo: 'moving', tag: '1' } });
    raw.close();
    await waitFor('the moved tag remembered', async () =>
      (await admin.get('/api/hosts/tls/images'))
        .json<{ images: { id: string; previousTags: string[] }[] }>()
        .images.find((i) => i.id === busybox)
        ?.previousTags.includes('moving:1'),
    );

    const token = await tokenFor(admin);
    const logs = await WsRecorder.open(
      t.app,
      `/api/hosts/tls/containers/${id}/logs/stream`,
      token.headers,
    );
    const events = await WsRecorder.open(t.app, '/api/hosts/tls/events', token.headers);
    const stats = await WsRecorder.open(
      t.app,
      `/api/hosts/tls/containers/${id}/stats/stream`,
      token.headers,
    );
    const terminal = await WsRecorder.open(
      t.app,
      `/api/hosts/tls/containers/${id}/exec/terminal?shell=sh`,
      token.headers,
    );
    await logs.waitFor('the first line', () =>
      logs.logLines().some((l) => l.text === 'hello from tls'),
    );
    await events.waitFor('hello', () => events.of('hello')[0]);
    await stats.waitFor('a stats sample', () => stats.of('stats')[0]);
    // The terminal is upgraded over TLS too.
    await terminal.waitFor('started', () => terminal.of('started')[0]);
    terminal.socket.send(Buffer.from('echo over-tls-$((6*7))\n'), { binary: true });
    await terminal.waitFor('the terminal answers', () => terminal.output().includes('over-tls-42'));

    const removed = await admin.delete('/api/hosts/tls');
    expect(removed.statusCode, removed.body).toBe(204);
    for (const socket of [logs, events, stats, terminal]) {
      const closed = await socket.whenClosed();
      expect(closed).toEqual({ code: 1001, reason: 'host "tls" was removed' });
    }
    expect(t.hosts.get('tls')).toBeUndefined();
    expect((await admin.get('/api/hosts/tls')).statusCode).toBe(404);
    expect((await admin.get('/api/hosts/tls/containers')).statusCode).toBe(404);
    expect(await listedIds(admin)).toEqual(['local']);
    expect(await storedIds()).toEqual(['local']);
    const audited = await t.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'details'])
      .where('action', 'like', 'host.%')
      .orderBy('id')
      .execute();
    expect(audited.map((a) => `${a.action} ${a.target ?? ''}`)).toEqual([
      'host.test tls',
      'host.create tls',
      'host.delete tls',
    ]);
    expect(JSON.stringify(audited)).not.toContain('PRIVATE KEY');
  });

  it('answers one clear reason for each failure and stores nothing', async () => {
    const refusals: [string, unknown, number, string][] = [
      [
        'the wrong CA',
        tlsHost('wrong-ca', { ...goodTls(), ca: stranger.server.ca }),
        422,
        'tls_verify_failed',
      ],
      [
        'a client certificate the engine does not trust',
        tlsHost('wrong-cert', {
          ca: good.server.ca,
          cert: stranger.client.cert,
          key: stranger.client.key,
        }),
        422,
        'client_cert_rejected',
      ],
      [
        'a stopped engine',
        { ...tlsHost('stopped', goodTls()), url: `tcp://127.0.0.1:${await freePort()}` },
        422,
        'refused',
      ],
    ];
    for (const [what, body, status, reason] of refusals) {
      const res = await admin.post('/api/hosts', body);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.json(), what).toMatchObject({
        error: { code: 'host_connection_failed', details: { reason } },
      });
      const tested = await admin.post('/api/hosts/test', body);
      expect(tested.json(), what).toMatchObject({ ok: false, reason });
    }
    // Something that answers HTTP, but is no engine.
    const web = createServer((_req, res) => res.writeHead(404).end('not here'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const webPort = (web.address() as AddressInfo).port;
    const notDocker = await admin.post('/api/hosts', {
      name: 'web',
      kind: 'tcp',
      url: `tcp://127.0.0.1:${webPort}`,
      insecure: true,
    });
    await new Promise((resolve) => web.close(resolve));
    expect(notDocker.statusCode, notDocker.body).toBe(422);
    expect(notDocker.json()).toMatchObject({ error: { details: { reason: 'not_docker' } } });

    // The engine's certificate names 127.0.0.1 only: reached as localhost, the name is wrong.
    const wrongName = await admin.post('/api/hosts', {
      ...tlsHost('wrong-name', goodTls()),
      url: `tcp://localhost:${port}`,
    });
    expect(wrongName.statusCode, wrongName.body).toBe(422);
    expect(wrongName.json()).toMatchObject({
      error: {
        details: { reason: 'tls_verify_failed' },
        message: expect.stringContaining('is not for "localhost"'),
      },
    });

    const wrongCa = await admin.post('/api/hosts', refusals[0]?.[1]);
    expect(wrongCa.json<{ error: { message: string } }>().error.message).toMatch(
      /not signed by the given CA/,
    );

    // The test engine is local already: a second entry for it is refused unless asked for.
    const again = { name: 'again', kind: 'socket', url: `unix://${testSocketPath()}` };
    const duplicate = await admin.post('/api/hosts', again);
    expect(duplicate.statusCode, duplicate.body).toBe(409);
    expect(duplicate.json()).toMatchObject({
      error: { code: 'host_duplicate', details: { host: 'local' } },
    });

    const plain = await admin.post('/api/hosts', {
      name: 'plain',
      kind: 'tcp',
      url: `tcp://127.0.0.1:${port}`,
    });
    expect(plain.statusCode).toBe(400);
    expect(plain.json()).toMatchObject({
      error: { code: 'validation_failed', details: { issues: [{ field: 'body.tls' }] } },
    });

    expect(await storedIds()).toEqual(['local']);
    expect(t.hosts.list().map((h) => h.id)).toEqual(['local']);

    const local = await admin.delete('/api/hosts/local');
    expect(local.statusCode).toBe(409);
    expect(local.json()).toMatchObject({ error: { code: 'host_not_removable' } });
    expect(local.json<{ error: { message: string } }>().error.message).toMatch(/DOCKER_HOST/);
  });

  it('starts the hosts it stored again at the next start, TLS material unsealed', async () => {
    const databaseFile = join(dir, 'berth.db');
    const first = await startTestApp({ databaseFile });
    const firstAdmin = await setupAdmin(first.app);
    expect((await firstAdmin.post('/api/hosts', tlsHost('kept', goodTls()))).statusCode).toBe(201);
    await first.close();

    const second = await startTestApp({ databaseFile });
    try {
      const kept = second.hosts.get('kept');
      expect(kept?.labels).toEqual(['lab']);
      await kept?.state.whenSynced();
      const secondAdmin = await tokenFor(await login(second.app, ADMIN.username, ADMIN.password));
      const res = await secondAdmin.get('/api/hosts/kept/containers');
      expect(res.statusCode).toBe(200);
      expect(
        res.json<{ containers: { name: string }[] }>().containers.map((c) => c.name),
      ).toContain('talker');
      expect((await secondAdmin.get('/api/hosts/kept')).json<Host>()).toMatchObject({
        reachable: true,
        tls: { configured: true, serverName: '127.0.0.1' },
      });
    } finally {
      await second.close();
    }
  });

  it('shows a viewer only the hosts granted: another host is a 404 and not listed', async () => {
    const mirror = await admin.post('/api/hosts', {
      name: 'mirror',
      kind: 'socket',
      url: `unix://${testSocketPath()}`,
      allowDuplicate: true,
    });
    expect(mirror.statusCode, mirror.body).toBe(201);
    await t.hosts.get('mirror')?.state.whenSynced();
    const viewer = await userSession(admin, 'local-viewer', 'viewer', ['local']);
    expect(await listedIds(viewer)).toEqual(['local']);
    expect(await listedIds(admin)).toEqual(['local', 'mirror']);
    for (const path of ['/api/hosts/mirror', '/api/hosts/mirror/containers']) {
      const res = await viewer.get(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'host_not_found' } });
    }
    expect((await viewer.get('/api/hosts/local')).statusCode).toBe(200);
    expect((await admin.delete('/api/hosts/mirror?forget=true')).statusCode).toBe(204);
  });
});
