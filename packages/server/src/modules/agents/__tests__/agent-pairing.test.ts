import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  copyFileSync,
  mkdirSync,
} from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus, Host } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  addAgentHost,
  AgentProcess,
  serverCertificate,
  startListeningApp,
  type ListeningApp,
} from '../../../testing/agent-process.js';
import { setupAdmin, tokenFor, type ApiClient } from '../../../testing/api-client.js';
import { testEngineHost } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

/**
 * Pairing and proof, against real agent processes: the join token works once and expires,
 * pins Berth's TLS key, and afterwards only the agent's own key (proved in a fresh SSH
 * handshake each time) lets it in. The agents serve the shared test engine.
 */
let dir: string;
let berth: ListeningApp;
let other: ListeningApp;
let admin: ApiClient;
/** Added to Berth's clock: lets a token expire without waiting for it. */
let clockOffset = 0;
const agents: AgentProcess[] = [];

function agent(
  options: { token?: string; server?: string; stateDir?: string },
  extra: string[] = [],
) {
  const started = AgentProcess.start(
    { server: berth.base, engine: testEngineHost(), ...options },
    extra,
  );
  agents.push(started);
  return started;
}

async function hostOf(name: string): Promise<Host> {
  return (await admin.get(`/api/hosts/${name}`)).json<Host>();
}

async function agentOf(name: string): Promise<AgentStatus> {
  const status = (await hostOf(name)).agent;
  if (!status) throw new Error(`${name} is not an agent host`);
  return status;
}

async function auditActions(app: ListeningApp, action: string) {
  return app.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'target', 'details'])
    .where('action', '=', action)
    .execute();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-agent-pairing-'));
  berth = await startListeningApp(await serverCertificate(dir, 'berth'), {
    now: () => Date.now() + clockOffset,
  });
  other = await startListeningApp(await serverCertificate(dir, 'other'));
  admin = await tokenFor(await setupAdmin(berth.app), 'pairing');
}, 60_000);

afterAll(async () => {
  await Promise.all(agents.map((a) => a.dispose()));
  await berth?.close();
  await other?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pairing an agent', () => {
  it('pairs with the join token: the host is reached through the agent and its key is recorded', async () => {
    const { host, join: joined } = await addAgentHost(admin, 'paired');
    expect(host.agent?.state).toBe('awaiting_pairing');
    // The URL the admin's request came to (here the test's in-process requests).
    expect(joined.command).toBe(`berth agent --server ${joined.serverUrl} --token ${joined.token}`);
    expect(joined.pin).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(joined.containerCommand).toContain('-v /var/run/docker.sock:/var/run/docker.sock');
    expect(joined.containerCommand).toContain(`--token ${joined.token}`);
    const first = agent({ token: joined.token });
    await first.connected();
    const paired = await waitFor('the host to be reachable', async () => {
      const h = await hostOf('paired');
      return h.reachable && h.agent?.state === 'connected' ? h : undefined;
    });
    const state = JSON.parse(readFileSync(join(first.stateDir, 'agent.json'), 'utf8')) as {
      host: string;
      key: { public: string };
    };
    expect(state.host).toBe('paired');
    expect(statSync(join(first.stateDir, 'agent.json')).mode & 0o777).toBe(0o600);
    expect(paired.agent?.keyFingerprint).toMatch(/^SHA256:/);
    expect(first.err).toContain(paired.agent?.keyFingerprint ?? '-');
    expect(paired.agent?.joinTokenExpiresAt).toBeNull();
    expect(paired.agent?.policy).toEqual({ readOnly: false, deniedPaths: [] });
    const list = await admin.get('/api/hosts/paired/containers');
    expect(list.statusCode).toBe(200);
    expect((await auditActions(berth, 'agent.pair')).map((e) => e.target)).toContain('paired');
  });

  it('refuses a second agent with the used token, and the first keeps the host', async () => {
    const before = await agentOf('paired');
    const { join: joined } = await addAgentHost(admin, 'used-twice');
    const winner = agent({ token: joined.token });
    await winner.connected();
    const second = agent({ token: joined.token });
    expect(await second.exit()).toBe(1);
    expect(second.err).toContain('token_used');
    expect(existsSync(join(second.stateDir, 'agent.json'))).toBe(false);
    const after = await agentOf('used-twice');
    expect(after.state).toBe('connected');
    expect(winner.code).toBeNull();
    expect((await agentOf('paired')).keyFingerprint).toBe(before.keyFingerprint);
    const refusals = await auditActions(berth, 'agent.connect');
    expect(
      refusals.some((e) => e.outcome === 'failure' && String(e.details).includes('token_used')),
    ).toBe(true);
  });

  it('refuses an expired token and leaves the host unpaired', async () => {
    const { join: joined } = await addAgentHost(admin, 'expired');
    clockOffset = 16 * 60_000;
    try {
      const late = agent({ token: joined.token });
      expect(await late.exit()).toBe(1);
      expect(late.err).toContain('token_expired');
      expect(existsSync(join(late.stateDir, 'agent.json'))).toBe(false);
    } finally {
      clockOffset = 0;
    }
    expect((await agentOf('expired')).state).toBe('awaiting_pairing');
  });

  it('will not talk to a Berth whose TLS key is not the one the token pins, and sends it nothing', async () => {
    const { join: joined } = await addAgentHost(admin, 'pinned');
    const astray = agent({ token: joined.token, server: other.base });
    expect(await astray.exit()).toBe(1);
    expect(astray.err).toContain(`but the join token pins ${joined.pin}`);
    expect(astray.err).toMatch(/shows TLS key sha256:[0-9a-f]{64}/);
    // The other Berth heard no hello: nothing reached its gateway.
    const heard = await other.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'agent.%')
      .execute();
    expect(heard).toEqual([]);
    expect((await agentOf('pinned')).state).toBe('awaiting_pairing');
  });

  it('refuses a first frame that is no hello, naming why', async () => {
    const socket = new WebSocket(`${berth.base.replace('https', 'wss')}/api/agent/connect`, {
      rejectUnauthorized: false,
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const frames: string[] = [];
    socket.on('message', (data: Buffer) => frames.push(data.toString()));
    socket.send(JSON.stringify({ type: 'hello', host: 'paired' }));
    const [code] = await new Promise<[number, string]>((resolve) =>
      socket.once('close', (c: number, r: Buffer) => resolve([c, r.toString()])),
    );
    expect(code).toBe(4403);
    expect(frames.join('')).toContain('bad_hello');
    expect(frames.join('')).toContain('keys');
  });
});

describe('what Berth says of an agent', () => {
  it('takes the join token options with the host, and a revoked host no longer pairs', async () => {
    const created = await admin.post('/api/hosts', {
      name: 'far-away',
      kind: 'agent',
      join: { expiresInMinutes: 60, serverUrl: 'https://berth.example:8443' },
    });
    expect(created.statusCode).toBe(201);
    const { join: joined } = created.json<{
      join: { command: string; expiresAt: string; token: string };
    }>();
    expect(joined.command).toMatch(/^berth agent --server https:\/\/berth\.example:8443 --token /);
    expect(Date.parse(joined.expiresAt) - Date.now()).toBeGreaterThan(55 * 60_000);
    const wrongKind = await admin.post('/api/hosts', {
      name: 'not-an-agent',
      kind: 'socket',
      url: 'unix:///var/run/docker.sock',
      join: { expiresInMinutes: 5 },
    });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.body).toContain('body.join');
    // Revoked before any agent paired: the waiting token stops working too.
    expect(
      (await admin.post('/api/hosts/far-away/agent/revoke')).json<AgentStatus>(),
    ).toMatchObject({
      state: 'revoked',
      joinTokenExpiresAt: null,
    });
    const late = agent({ token: joined.token });
    expect(await late.exit()).toBe(1);
    expect(late.err).toContain('token_expired');
  });

  it("tells a host's events stream when its agent connects and leaves", async () => {
    const { join: joined } = await addAgentHost(admin, 'announced');
    const events = await WsRecorder.open(berth.app, '/api/hosts/announced/events', admin.headers);
    await events.waitFor('hello', () => events.of('hello')[0]);
    const running = agent({ token: joined.token });
    await running.connected();
    const states = () => events.of('agent').map((m) => (m.agent as AgentStatus).state);
    await events.waitFor('connected', () => states().includes('connected'));
    await running.kill();
    await events.waitFor('disconnected', () => states().at(-1) === 'disconnected');
    expect(events.of('agent').every((m) => m.host === 'announced')).toBe(true);
    events.close();
  });
});

describe('an agent proves its key on every connection', () => {
  it('stops the agent of a host that is removed, and refuses it afterwards', async () => {
    const { join: joined } = await addAgentHost(admin, 'removed');
    const running = agent({ token: joined.token });
    await running.connected();
    expect((await admin.request('DELETE', '/api/hosts/removed')).statusCode).toBe(204);
    expect(await running.exit()).toBe(1);
    expect(running.err).toContain('agent_unknown');
    const again = agent({ stateDir: running.stateDir });
    expect(await again.exit()).toBe(1);
    expect(again.err).toContain('agent_unknown');
    expect(
      await berth.db
        .selectFrom('agent_hosts')
        .select('host_id')
        .where('host_id', '=', 'removed')
        .execute(),
    ).toEqual([]);
  });

  it('refuses a replayed handshake: the recorded frames of a real connection do not get in', async () => {
    const { join: joined } = await addAgentHost(admin, 'replayed');
    const first = agent({ token: joined.token });
    await first.connected();
    await first.kill();
    // The same agent again, through a relay that records what it sends to Berth.
    const relay = await recordingRelay(berth);
    const again = agent({ stateDir: first.stateDir, server: relay.base });
    await again.connected();
    await waitFor('the recorded SSH frames', () => relay.recorded.length > 4);
    const recorded = [...relay.recorded];

    const replay = new WebSocket(`${berth.base.replace('https', 'wss')}/api/agent/connect`, {
      rejectUnauthorized: false,
    });
    await new Promise((resolve) => replay.once('open', resolve));
    const closed = new Promise<[number, string]>((resolve) =>
      replay.once('close', (c: number, r: Buffer) => resolve([c, r.toString()])),
    );
    const welcomed = new Promise((resolve) => replay.once('message', resolve));
    const [hello, ...session] = recorded;
    replay.send(hello?.data ?? '', { binary: false });
    await welcomed;
    for (const frame of session)
      if (replay.readyState === replay.OPEN) replay.send(frame.data, { binary: true });
    const [code, reason] = await closed;
    expect(code).toBe(4403);
    expect(reason).toMatch(/^handshake_failed/);
    // The real agent's session is untouched.
    expect((await agentOf('replayed')).state).toBe('connected');
    expect(again.code).toBeNull();
    const refusals = await auditActions(berth, 'agent.connect');
    expect(
      refusals.some(
        (e) => e.target === 'replayed' && String(e.details).includes('handshake_failed'),
      ),
    ).toBe(true);
    await again.kill();
    await relay.close();
  });

  it('revokes: the agent is cut off and stops, the host shows revoked; a new token re-pairs it', async () => {
    const { join: joined } = await addAgentHost(admin, 'revoked');
    const running = agent({ token: joined.token });
    await running.connected();
    const revoked = await admin.post('/api/hosts/revoked/agent/revoke');
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<AgentStatus>().state).toBe('revoked');
    expect(await running.exit()).toBe(1);
    expect(running.err).toContain('agent_revoked');
    const host = await waitFor('the host to be unreachable', async () => {
      const h = await hostOf('revoked');
      return h.reachable ? undefined : h;
    });
    expect(host.error).toContain('revoked');
    // Started again with its old key: refused, and it stops again.
    const stubborn = agent({ stateDir: running.stateDir });
    expect(await stubborn.exit()).toBe(1);
    expect(stubborn.err).toContain('agent_revoked');

    const fresh = await admin.post('/api/hosts/revoked/agent/join-token', { expiresInMinutes: 5 });
    expect(fresh.statusCode).toBe(200);
    const repaired = agent({
      stateDir: running.stateDir,
      token: fresh.json<{ token: string }>().token,
    });
    await repaired.connected();
    const status = await waitFor('re-paired', async () => {
      const s = await agentOf('revoked');
      return s.state === 'connected' ? s : undefined;
    });
    expect(status.revokedAt).toBeNull();
    expect(status.keyFingerprint).not.toBe(revoked.json<AgentStatus>().keyFingerprint);
  });

  it('rotates the key: the agent comes back with its new key and the old one is refused', async () => {
    const { join: joined } = await addAgentHost(admin, 'rotated');
    const running = agent({ token: joined.token });
    await running.connected();
    const before = await agentOf('rotated');
    const saved = mkdtempSync(join(tmpdir(), 'berth-agent-old-'));
    copyFileSync(join(running.stateDir, 'agent.json'), join(saved, 'agent.json'));
    const rotated = await admin.post('/api/hosts/rotated/agent/rotate-key');
    expect(rotated.statusCode).toBe(200);
    const status = rotated.json<AgentStatus>();
    expect(status.keyFingerprint).not.toBe(before.keyFingerprint);
    expect(status.keyRotatedAt).not.toBeNull();
    await running.connected(2);
    expect(running.err).toContain(status.keyFingerprint ?? '-');
    expect((await agentOf('rotated')).state).toBe('connected');
    // A copy of the agent from before the rotation holds only the old key.
    mkdirSync(saved, { recursive: true });
    const stale = agent({ stateDir: saved });
    expect(await stale.exit()).toBe(1);
    expect(stale.err).toContain('key_unknown');
    expect((await agentOf('rotated')).state).toBe('connected');
  });
});

/**
 * A relay with Berth's own certificate (so the agent's pin matches) that forwards an agent's
 * frames to Berth and keeps a copy of each: what an attacker in the middle could record.
 */
async function recordingRelay(target: ListeningApp) {
  const recorded: { data: Buffer }[] = [];
  const tls = target.certificate;
  const key = readFileSync(join(dir, 'berth-server-key.pem'));
  const server = createServer({ cert: tls, key });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (inbound) => {
    const outbound = new WebSocket(`${target.base.replace('https', 'wss')}/api/agent/connect`, {
      rejectUnauthorized: false,
    });
    const pending: [Buffer, boolean][] = [];
    outbound.on('open', () => {
      for (const [data, binary] of pending.splice(0)) outbound.send(data, { binary });
    });
    inbound.on('message', (data: Buffer, binary: boolean) => {
      recorded.push({ data });
      if (outbound.readyState === outbound.OPEN) outbound.send(data, { binary });
      else pending.push([data, binary]);
    });
    outbound.on('message', (data: Buffer, binary: boolean) => inbound.send(data, { binary }));
    outbound.on('close', (code: number, reason: Buffer) =>
      inbound.close(code === 1005 ? 1000 : code, reason.toString()),
    );
    inbound.on('close', () => outbound.close());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    base: `https://127.0.0.1:${address.port}`,
    recorded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
