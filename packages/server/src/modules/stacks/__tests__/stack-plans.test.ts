import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry, StackOperationResult, StackPlan, StackSummary } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { RecordingRuntime, testLoader } from '../../../testing/stack-doubles.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { WsRecorder } from '../../../testing/ws-client.js';

const base = '/api/hosts/local/stacks';
const COMPOSE = 'services:\n  web:\n    image: busybox\n  db:\n    image: busybox\n';
type Failure = { error: { code: string; message: string } };

/**
 * The service's own logic around the runtime (a recording double here; the real runtime has
 * its own tests against the engine): plans kept and refused, audit, cli text, progress.
 */
describe('plan then up: the plan shown is the plan applied', () => {
  const runtime = new RecordingRuntime();
  let clock = Date.parse('2026-06-01T10:00:00Z');
  let t: TestApp;
  let operator: ApiClient;
  let viewer: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp({ stackEngine: { load: testLoader, runtime }, now: () => clock });
    admin = await setupAdmin(t.app);
    operator = await tokenFor(await userSession(admin, 'plan-op', 'operator'));
    viewer = await tokenFor(await userSession(admin, 'plan-viewer', 'viewer'));
    for (const name of ['app', 'other'])
      expect(
        (await operator.post(base, { name, files: { 'compose.yaml': COMPOSE } })).statusCode,
      ).toBe(201);
  });
  afterAll(() => t.close());

  const plan = async (name = 'app', body: unknown = {}) => {
    const res = await operator.post(`${base}/${name}/plan`, body);
    expect(res.statusCode).toBe(200);
    return res.json<StackPlan>();
  };
  const applies = () => runtime.calls.filter((c) => c.method === 'apply').length;

  it('applies exactly the plan named, once, and records the deploy', async () => {
    const shown = await plan();
    expect(shown).toMatchObject({
      host: 'local',
      stack: 'app',
      createdAt: '2026-06-01T10:00:00.000Z',
    });
    expect(shown.services.map((s) => s.service)).toEqual(['web', 'db']);
    const up = await operator.post(`${base}/app/up`, { planId: shown.planId });
    expect(up.statusCode).toBe(200);
    const result = up.json<StackOperationResult>();
    expect(result.plan?.planId).toBe(shown.planId);
    expect(result.cli).toBe(
      `docker compose -p app --project-directory ${join(t.stacksDir, 'local', 'app')} up --detach --remove-orphans`,
    );
    expect(runtime.calls.at(-1)).toEqual({ method: 'apply', project: 'app', args: shown.planId });
    const again = await operator.post(`${base}/app/up`, { planId: shown.planId });
    expect(again.statusCode).toBe(409);
    expect(again.json<Failure>().error.code).toBe('plan_unknown');
    const listed = (await viewer.get(base))
      .json<{ stacks: StackSummary[] }>()
      .stacks.find((s) => s.name === 'app');
    expect(listed?.lastDeploy).toEqual({ at: '2026-06-01T10:00:00.000Z', by: 'plan-op', ok: true });
  });

  it('refuses a plan whose files changed since, naming the file', async () => {
    const shown = await plan();
    writeFileSync(
      join(t.stacksDir, 'local', 'app', 'compose.yaml'),
      `${COMPOSE}  cache:\n    image: busybox\n`,
    );
    const before = applies();
    const res = await operator.post(`${base}/app/up`, { planId: shown.planId });
    expect(res.statusCode).toBe(409);
    expect(res.json<Failure>().error).toMatchObject({ code: 'plan_outdated' });
    expect(res.json<Failure>().error.message).toContain('compose.yaml');
    expect(applies()).toBe(before);
  });

  it('refuses a plan when the engine moved since (the runtime’s fingerprint)', async () => {
    const shown = await plan();
    runtime.fingerprintValue = 'engine-2';
    const res = await operator.post(`${base}/app/up`, { planId: shown.planId });
    expect(res.statusCode).toBe(409);
    expect(res.json<Failure>().error.message).toMatch(/changed on the engine/);
  });

  it('forgets a plan after 15 minutes, and never applies one to another stack', async () => {
    const late = await plan();
    clock += 15 * 60_000 + 1;
    expect((await operator.post(`${base}/app/up`, { planId: late.planId })).statusCode).toBe(409);
    const mine = await plan();
    const res = await operator.post(`${base}/other/up`, { planId: mine.planId });
    expect(res.statusCode).toBe(409);
    expect(res.json<Failure>().error.code).toBe('plan_unknown');
  });

  it('plans afresh without a planId, leaves orphans when asked, and refuses a viewer', async () => {
    const before = runtime.calls.filter((c) => c.method === 'plan').length;
    const res = await operator.post(`${base}/app/up`, { removeOrphans: false });
    expect(res.statusCode).toBe(200);
    expect(res.json<StackOperationResult>().cli).toMatch(/ up --detach$/);
    expect(runtime.calls.filter((c) => c.method === 'plan').length).toBe(before + 1);
    expect((await viewer.post(`${base}/app/up`, {})).statusCode).toBe(403);
    expect((await viewer.post(`${base}/app/plan`, {})).statusCode).toBe(403);
  });

  it('forwards the runtime’s progress to the host’s events stream, for this host and stack', async () => {
    const events = await WsRecorder.open(t.app, '/api/hosts/local/events', viewer.headers);
    await events.waitFor('hello', () => events.of('hello').length > 0);
    expect((await operator.post(`${base}/app/up`, {})).statusCode).toBe(200);
    const stack = await events.waitFor('stack progress', () => {
      const got = events.of('stack');
      return got.length >= 3 ? got : undefined;
    });
    expect(stack.map((e) => [e.host, e.stack, e.operation, e.service, e.step])).toEqual([
      ['local', 'app', 'up', 'web', 'done'],
      ['local', 'app', 'up', 'db', 'done'],
      ['local', 'app', 'up', 'cache', 'done'],
    ]);
    expect(
      (
        await operator.post(`${base}/app/down`, { removeVolumes: true })
      ).json<StackOperationResult>().cli,
    ).toBe('docker compose -p app down --volumes');
    await events.waitFor('down progress', () =>
      events.of('stack').some((e) => e.operation === 'down'),
    );
    events.close();
  });

  it('passes start, stop, restart and pull to the runtime with the services named', async () => {
    for (const op of ['start', 'stop', 'restart'] as const) {
      const res = await operator.post(`${base}/app/${op}`, { services: ['web'] });
      expect(res.json<StackOperationResult>().cli).toBe(`docker compose -p app ${op} web`);
      expect(runtime.calls.at(-1)).toEqual({ method: op, project: 'app', args: ['web'] });
    }
    const pull = await operator.post(`${base}/app/pull`, { services: ['db'] });
    expect(pull.statusCode).toBe(200);
    expect(runtime.calls.at(-1)).toEqual({ method: 'pull', project: 'app', args: ['db'] });
    const unknown = await operator.post(`${base}/app/pull`, { services: ['nope'] });
    expect(unknown.statusCode).toBe(400);
  });

  it('audits up and down with the plan and outcome', async () => {
    const { entries } = (await admin.get('/api/audit?limit=500')).json<{ entries: AuditEntry[] }>();
    const ups = entries.filter((e) => e.action === 'stack.up' && e.target === 'local/app');
    expect(ups.some((e) => e.outcome === 'failure' && e.status === 409)).toBe(true);
    const done = ups.find((e) => e.status === 200);
    expect(done).toMatchObject({ username: 'plan-op', details: { ok: true } });
    expect(entries.some((e) => e.action === 'stack.down' && e.target === 'local/app')).toBe(true);
  });

  it('previews a plan of files not written: for a new stack, and over an existing one', async () => {
    const fresh = await plan('draft', { files: { 'compose.yaml': COMPOSE } });
    expect(fresh).toMatchObject({ stack: 'draft', host: 'local' });
    expect(runtime.calls.at(-1)).toMatchObject({ method: 'plan', project: 'draft' });
    expect((await viewer.get(`${base}/draft`)).statusCode).toBe(404);
    const unapplied = await operator.post(`${base}/draft/up`, { planId: fresh.planId });
    expect(unapplied.statusCode).toBe(404);

    const before = (await viewer.get(`${base}/app/files/compose.yaml`)).json<{ content: string }>();
    const edited = `${COMPOSE}  extra:\n    image: busybox\n`;
    const over = await plan('app', { files: { 'compose.yaml': edited } });
    expect(over.stack).toBe('app');
    const after = (await viewer.get(`${base}/app/files/compose.yaml`)).json<{ content: string }>();
    expect(after.content).toBe(before.content);
    const stale = await operator.post(`${base}/app/up`, { planId: over.planId });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Failure>().error.code).toBe('plan_outdated');

    const broken = await operator.post(`${base}/draft/plan`, {
      files: { 'compose.yaml': 'services: [' },
    });
    expect(broken.statusCode).toBe(422);
    expect(broken.json<Failure>().error.code).toBe('stack_invalid');
    const outside = await operator.post(`${base}/draft/plan`, { files: { '../x.yaml': COMPOSE } });
    expect(outside.statusCode).toBe(400);
    expect((await viewer.post(`${base}/draft/plan`, { files: {} })).statusCode).toBe(403);
  });

  it('checks files as the editor holds them, and answers the project as config', async () => {
    const ok = await viewer.post(`${base}/validate`, {
      name: 'draft',
      files: { 'compose.yaml': COMPOSE },
    });
    expect(ok.json()).toMatchObject({ ok: true, issues: [], services: ['web', 'db'] });
    // The project the files make, as config answers it, before anything is written.
    expect(Object.keys(ok.json<{ project: { services: object } }>().project.services)).toEqual([
      'web',
      'db',
    ]);
    const bad = await viewer.post(`${base}/validate`, {
      name: 'app',
      files: { 'compose.yaml': 'services: [' },
    });
    expect(bad.json<{ ok: boolean; issues: { file: string }[] }>()).toMatchObject({
      ok: false,
      issues: [{ file: 'compose.yaml' }],
    });
    const config = await viewer.get(`${base}/app/config`);
    expect(config.json<{ name: string; services: Record<string, unknown> }>()).toMatchObject({
      name: 'app',
    });
    writeFileSync(join(t.stacksDir, 'local', 'other', 'compose.yaml'), 'services: [');
    const broken = await viewer.get(`${base}/other/config`);
    expect(broken.statusCode).toBe(422);
    expect(broken.json<Failure>().error.code).toBe('stack_invalid');
  });
});
