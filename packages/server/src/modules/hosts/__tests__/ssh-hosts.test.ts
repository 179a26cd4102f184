import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host, HostList, HostTestResult } from '@berth/contract';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestSshAgent,
  startTestSshd,
  type TestSshd,
} from '../../../../../../scripts/lib/test-sshd.mjs';
import { EngineClient } from '../../../docker/engine-client.js';
import { ADMIN, login, setupAdmin, tokenFor, type ApiClient } from '../../../testing/api-client.js';
import { CountingRelay } from '../../../testing/counting-relay.js';
import { freePort } from '../../../testing/free-port.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { TEST_IMAGE, testSocketPath } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

/**
 * SSH hosts against a real OpenSSH server on loopback whose remote side runs the docker CLI's
 * `docker system dial-stdio` against the test engine. Each client key sshd knows gets its own
 * environment: `good` reaches the test engine, `nodocker` has no docker CLI on its PATH,
 * `nowhere` has DOCKER_HOST pointing at no engine.
 */
describe('ssh hosts', () => {
  let sshd: TestSshd;
  let relay: CountingRelay;
  let relayPort: number;
  let t: TestApp;
  let admin: ApiClient;

  const sshHost = (name: string, ssh: Record<string, string>, port = relayPort) => ({
    name,
    kind: 'ssh',
    url: `ssh://${sshd.user}@127.0.0.1:${port}`,
    ssh,
    labels: ['remote'],
    // The remote's engine is the test engine, which is `local` too.
    allowDuplicate: true,
  });
  const goodKey = () => sshd.keys.good?.privateKey ?? 'missing';
  const storedIds = async () =>
    (await t.db.selectFrom('hosts').select('id').orderBy('id').execute()).map((r) => r.id);

  beforeAll(async () => {
    sshd = await startTestSshd({
      clients: {
        good: { DOCKER_HOST: `unix://${testSocketPath()}` },
        nodocker: { PATH: '/nonexistent' },
        nowhere: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      },
    });
    relay = new CountingRelay(sshd.port);
    relayPort = await relay.listen();
    t = await startTestApp();
    admin = await setupAdmin(t.app);
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await relay.close();
    await sshd.stop();
  });

  it('tests (key shown), adds with the pin, lists, streams logs, stats and a terminal over one SSH connection, and ends the streams when removed', async () => {
    const tested = await admin.post(
      '/api/hosts/test',
      sshHost('remote', { privateKey: goodKey() }),
    );
    expect(tested.statusCode, tested.body).toBe(200);
    const test = tested.json<HostTestResult>();
    // The fingerprint is the one ssh-keygen -l prints for sshd's host key.
    expect(test).toMatchObject({
      ok: true,
      hostKey: { algorithm: 'ssh-ed25519', fingerprint: sshd.hostKey },
    });
    expect(await storedIds()).toEqual(['local']);

    const unconfirmed = await admin.post(
      '/api/hosts',
      sshHost('remote', { privateKey: goodKey() }),
    );
    expect(unconfirmed.statusCode, unconfirmed.body).toBe(422);
    expect(unconfirmed.json()).toMatchObject({
      error: {
        code: 'host_connection_failed',
        details: { reason: 'host_key_unconfirmed', hostKey: { fingerprint: sshd.hostKey } },
      },
    });
    expect(await storedIds()).toEqual(['local']);

    const before = relay.accepted;
    const created = await admin.post(
      '/api/hosts',
      sshHost('remote', { privateKey: goodKey(), hostKey: sshd.hostKey }),
    );
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<Host>()).toMatchObject({
      id: 'remote',
      kind: 'ssh',
      transport: 'ssh',
      url: `ssh://${sshd.user}@127.0.0.1:${relayPort}`,
      ssh: { user: sshd.user, hostKey: sshd.hostKey, keyConfigured: true },
      tls: { configured: false, serverName: null },
      insecure: false,
    });
    expect(created.body).not.toContain('PRIVATE KEY');
    const row = await t.db
      .selectFrom('hosts')
      .select(['ssh_key_sealed', 'ssh_host_key', 'kind'])
      .where('id', '=', 'remote')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'ssh', ssh_host_key: sshd.hostKey });
    expect(row.ssh_key_sealed).toMatch(/^v1:/);
    expect(row.ssh_key_sealed).not.toContain('PRIVATE KEY');

    const raw = new EngineClient({ transport: 'unix', socketPath: testSocketPath() });
    const { Id: id } = await raw.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: 'ssh-talker' },
      body: {
        Image: TEST_IMAGE,
        Cmd: ['sh', '-c', 'echo hello over ssh; while true; do sleep 1; echo tick; done'],
        HostConfig: { NetworkMode: 'none' },
      },
    });
    try {
      await raw.request('POST', `/containers/${id}/start`);
      await waitFor('the container listed through the ssh host', async () =>
        (await admin.get('/api/hosts/remote/containers'))
          .json<{ containers: { id: string; state: string }[] }>()
          .containers.some((c) => c.id === id && c.state === 'running'),
      );
      const token = await tokenFor(admin);
      const logs = await WsRecorder.open(
        t.app,
        `/api/hosts/remote/containers/${id}/logs/stream`,
        token.headers,
      );
      const events = await WsRecorder.open(t.app, '/api/hosts/remote/events', token.headers);
      const stats = await WsRecorder.open(
        t.app,
        `/api/hosts/remote/containers/${id}/stats/stream`,
        token.headers,
      );
      const terminal = await WsRecorder.open(
        t.app,
        `/api/hosts/remote/containers/${id}/exec/terminal?shell=sh`,
        token.headers,
      );
      await logs.waitFor('the first line', () =>
        logs.logLines().some((l) => l.text === 'hello over ssh'),
      );
      await events.waitFor('hello', () => events.of('hello')[0]);
      await stats.waitFor('a stats sample', () => stats.of('stats')[0]);
      // The terminal is a hijacked upgrade over an exec channel.
      await terminal.waitFor('started', () => terminal.of('started')[0]);
      terminal.socket.send(Buffer.from('echo over-ssh-$((6*7))\n'), { binary: true });
      await terminal.waitFor('the terminal answers', () =>
        terminal.output().includes('over-ssh-42'),
      );
      const viewed = (await admin.get('/api/hosts/remote')).json<Host>();
      expect(viewed).toMatchObject({ reachable: true, error: null, kind: 'ssh' });
      expect(viewed.latencyMs).toEqual(expect.any(Number));
      // Every request and stream is a channel on the host's one SSH connection (the test of
      // the definition had one of its own, closed after it).
      expect(relay.accepted - before).toBe(2);
      await waitFor('the test connection closed', () => relay.open === 1);

      const removed = await admin.delete('/api/hosts/remote');
      expect(removed.statusCode, removed.body).toBe(204);
      for (const socket of [logs, events, stats, terminal]) {
        expect(await socket.whenClosed()).toEqual({
          code: 1001,
          reason: 'host "remote" was removed',
        });
      }
    } finally {
      await raw.request('DELETE', `/containers/${id}`, { query: { force: true } });
      raw.close();
    }
    expect(t.hosts.get('remote')).toBeUndefined();
    expect((await admin.get('/api/hosts/remote')).statusCode).toBe(404);
    expect((await admin.get('/api/hosts')).json<HostList>().hosts.map((h) => h.id)).toEqual([
      'local',
    ]);
    expect(await storedIds()).toEqual(['local']);
    const audited = await t.db.selectFrom('audit_log').select(['action', 'details']).execute();
    expect(audited.map((a) => a.action)).toContain('host.create');
    expect(JSON.stringify(audited)).not.toContain('PRIVATE KEY');
  });

  it('opens the SSH connection again when it is lost', async () => {
    const created = await admin.post(
      '/api/hosts',
      sshHost('relayed', { privateKey: goodKey(), hostKey: sshd.hostKey }),
    );
    expect(created.statusCode, created.body).toBe(201);
    await t.hosts.get('relayed')?.state.whenSynced();
    const before = relay.accepted;
    relay.cut();
    await waitFor('a new SSH connection', () => relay.accepted > before);
    await waitFor('the host reachable again', async () => {
      const res = await admin.get('/api/hosts/relayed/containers');
      return (
        res.statusCode === 200 && (await admin.get('/api/hosts/relayed')).json<Host>().reachable
      );
    });
    expect((await admin.delete('/api/hosts/relayed')).statusCode).toBe(204);
  });

  it('answers one clear reason for each failure and stores nothing', async () => {
    const stranger = ssh2.utils.generateKeyPairSync('ed25519').private;
    const stopped = await freePort();
    const wrongPin = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const refusals: [string, unknown, string, RegExp][] = [
      [
        'a key the remote does not accept',
        sshHost('stranger', { privateKey: stranger, hostKey: sshd.hostKey }),
        'ssh_auth_failed',
        /authentication failed/i,
      ],
      [
        'a host key other than the pinned one',
        sshHost('pinned', { privateKey: goodKey(), hostKey: wrongPin }),
        'host_key_mismatch',
        new RegExp(`shows ${sshd.hostKey.replace(/[+/]/g, '\\$&')}.*pinned ${wrongPin}`),
      ],
      [
        'a remote without the docker CLI',
        sshHost('nodocker', {
          privateKey: sshd.keys.nodocker?.privateKey ?? '',
          hostKey: sshd.hostKey,
        }),
        'engine_not_found',
        /No docker CLI/,
      ],
      [
        'a remote whose docker CLI reaches no engine',
        sshHost('nowhere', {
          privateKey: sshd.keys.nowhere?.privateKey ?? '',
          hostKey: sshd.hostKey,
        }),
        'engine_not_found',
        /cannot reach an engine.*nonexistent/,
      ],
      [
        'sshd stopped',
        sshHost('stopped', { privateKey: goodKey(), hostKey: sshd.hostKey }, stopped),
        'refused',
        /refused/i,
      ],
    ];
    for (const [what, body, reason, message] of refusals) {
      const res = await admin.post('/api/hosts', body);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(422);
      expect(res.json(), what).toMatchObject({
        error: { code: 'host_connection_failed', message, details: { reason } },
      });
      const tested = await admin.post('/api/hosts/test', body);
      expect(tested.json(), what).toMatchObject({ ok: false, reason });
    }

    const badInput: [string, unknown, string][] = [
      ['no user', { ...sshHost('bad', {}), url: `ssh://127.0.0.1:${relayPort}` }, 'body.url'],
      ['a tcp url', { ...sshHost('bad', {}), url: `tcp://127.0.0.1:${relayPort}` }, 'body.url'],
      [
        'a private key that does not parse',
        sshHost('bad', { privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n' }),
        'body.ssh.privateKey',
      ],
      ['a passphrase without a key', sshHost('bad', { passphrase: 'x' }), 'body.ssh.passphrase'],
      [
        'TLS material',
        {
          ...sshHost('bad', { privateKey: goodKey() }),
          tls: { ca: '-----BEGIN X-----', cert: '-----BEGIN X-----', key: '-----BEGIN X-----' },
        },
        'body.tls',
      ],
      [
        'a malformed pin',
        sshHost('bad', { privateKey: goodKey(), hostKey: 'MD5:aa' }),
        'body.ssh.hostKey',
      ],
      [
        'SSH keys for a socket host',
        {
          name: 'bad',
          kind: 'socket',
          url: 'unix:///var/run/docker.sock',
          ssh: { hostKey: sshd.hostKey },
        },
        'body.ssh',
      ],
    ];
    for (const [what, body, field] of badInput) {
      const res = await admin.post('/api/hosts', body);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
      expect(res.json(), what).toMatchObject({
        error: { code: 'validation_failed', details: { issues: [{ field }] } },
      });
    }
    expect(await storedIds()).toEqual(['local']);
    expect(t.hosts.list().map((h) => h.id)).toEqual(['local']);
  });

  it('refuses a changed host key at runtime until the admin pins the new one', async () => {
    const created = await admin.post(
      '/api/hosts',
      sshHost('moved', { privateKey: goodKey(), hostKey: sshd.hostKey }),
    );
    expect(created.statusCode, created.body).toBe(201);
    await t.hosts.get('moved')?.state.whenSynced();
    const pinned = sshd.hostKey;

    await sshd.restart({ newHostKey: true });
    const changed = sshd.hostKey;
    expect(changed).not.toBe(pinned);
    const unreachable = await waitFor('the host unreachable for its host key', async () => {
      const host = (await admin.get('/api/hosts/moved')).json<Host>();
      return !host.reachable && host.error?.includes('host_key_mismatch') ? host : undefined;
    });
    expect(unreachable.error).toContain(changed);
    expect(unreachable.error).toContain(pinned);
    expect((await admin.get('/api/hosts/moved/containers')).json()).toMatchObject({
      stale: { reason: expect.stringContaining('host_key_mismatch') },
    });

    // The admin tests again (the new key is shown) and pins it: the host is back.
    const retest = await admin.post('/api/hosts/test', sshHost('moved', { privateKey: goodKey() }));
    expect(retest.json()).toMatchObject({ ok: true, hostKey: { fingerprint: changed } });
    const patched = await admin.patch('/api/hosts/moved', {
      ssh: { hostKey: changed },
      allowDuplicate: true,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<Host>()).toMatchObject({
      ssh: { hostKey: changed, keyConfigured: true },
    });
    await waitFor(
      'the host reachable with the new pin',
      async () => (await admin.get('/api/hosts/moved')).json<Host>().reachable,
    );
    const row = await t.db
      .selectFrom('hosts')
      .select('ssh_host_key')
      .where('id', '=', 'moved')
      .executeTakeFirstOrThrow();
    expect(row.ssh_host_key).toBe(changed);
    expect((await admin.delete('/api/hosts/moved')).statusCode).toBe(204);
  });

  it("uses the SSH agent of Berth's process when no key is given, and starts stored hosts again at the next start", async () => {
    const agent = await startTestSshAgent([goodKey()]);
    const saved = process.env.SSH_AUTH_SOCK;
    const dir = mkdtempSync(join(tmpdir(), 'berth-ssh-db-'));
    process.env.SSH_AUTH_SOCK = agent.socket;
    try {
      const databaseFile = join(dir, 'berth.db');
      const first = await startTestApp({ databaseFile });
      const firstAdmin = await setupAdmin(first.app);
      const byAgent = await firstAdmin.post(
        '/api/hosts',
        sshHost('agent', { hostKey: sshd.hostKey }),
      );
      expect(byAgent.statusCode, byAgent.body).toBe(201);
      expect(byAgent.json<Host>()).toMatchObject({ ssh: { keyConfigured: false } });
      const byKey = await firstAdmin.post(
        '/api/hosts',
        sshHost('keyed', { privateKey: goodKey(), hostKey: sshd.hostKey }),
      );
      expect(byKey.statusCode, byKey.body).toBe(201);
      await first.close();

      // The key is unsealed and the pin read back: both hosts reach the engine again.
      const second = await startTestApp({ databaseFile });
      try {
        const secondAdmin = await tokenFor(await login(second.app, ADMIN.username, ADMIN.password));
        for (const id of ['agent', 'keyed']) {
          await second.hosts.get(id)?.state.whenSynced();
          expect((await secondAdmin.get(`/api/hosts/${id}`)).json<Host>(), id).toMatchObject({
            reachable: true,
            kind: 'ssh',
            ssh: { hostKey: sshd.hostKey, keyConfigured: id === 'keyed' },
          });
          expect((await secondAdmin.get(`/api/hosts/${id}/containers`)).statusCode).toBe(200);
        }
      } finally {
        await second.close();
      }
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      await agent.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
