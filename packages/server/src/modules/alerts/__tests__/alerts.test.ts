import type { Alert, AlertRule, ContainerIncident, Silence } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, OUT_OF_MEMORY, TEST_LABEL } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';
import { startReceiver } from '../../notifications/__tests__/http-receiver.js';

/** A first run that exits with code 3, then runs on: the file it leaves survives a restart. */
const FAILS_ONCE = ['sh', '-c', 'test -f /tmp/ran || { touch /tmp/ran; exit 3; }; sleep 300'];

describe('alerts against the real engine', () => {
  let t: TestApp;
  let admin: ApiClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let channel: string;
  const fixtures = new EngineFixtures();
  const scope = { type: 'label', key: TEST_LABEL, value: fixtures.runId };

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestApp({
      monitoring: {
        incidents: { restartLoop: { count: 3, windowMs: 60_000 } },
        evaluateEveryMs: 100,
      },
      notificationDelivery: { retryBaseMs: 50 },
    });
    admin = await setupAdmin(t.app);
    const created = await admin.post('/api/notifications/channels', {
      name: 'alerts-hook',
      kind: 'webhook',
      config: { url: `${receiver.url}/alerts` },
    });
    expect(created.statusCode).toBe(201);
    channel = created.json<{ id: string }>().id;
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    await receiver.close();
  });

  const rule = async (body: Record<string, unknown>): Promise<AlertRule> => {
    const res = await admin.post('/api/alerts/rules', { scope, channels: [channel], ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<AlertRule>();
  };
  const alertsOf = async (ruleId: string): Promise<Alert[]> =>
    (await admin.get('/api/alerts?limit=1000'))
      .json<{ alerts: Alert[] }>()
      .alerts.filter((a) => a.ruleId === ruleId);
  const hooksFor = (alertId: string) =>
    receiver.received
      .map((r) => JSON.parse(r.body) as { notification: { alertId?: string; status: string } })
      .filter((b) => b.notification.alertId === alertId)
      .map((b) => b.notification.status);
  const startContainer = async (base: string, cmd: string[]) => {
    const id = await fixtures.createContainer(base, cmd);
    await fixtures.start(id);
    return { id, name: fixtures.name(base) };
  };

  it('fires "exited non-zero" for a container that exits with 3, resolves when it runs again, and a webhook receives both', async () => {
    const exited = await rule({ name: 'exited', kind: 'exited_nonzero' });
    const { id, name } = await startContainer('exits', FAILS_ONCE);
    const [firing] = await waitFor('the alert to fire', async () => {
      const found = await alertsOf(exited.id);
      return found.some((a) => a.subject === `local/${name}`) && found;
    });
    expect(firing).toMatchObject({
      state: 'firing',
      kind: 'exited_nonzero',
      hostId: 'local',
      containerName: name,
      summary: `${name} exited with code 3`,
    });
    await fixtures.start(id);
    const [resolved] = await waitFor('the alert to resolve', async () => {
      const found = await alertsOf(exited.id);
      return found[0]?.state === 'resolved' && found;
    });
    expect(resolved?.id).toBe(firing?.id);
    expect(resolved?.resolvedAt).not.toBeNull();
    await waitFor(
      'both notifications at the webhook',
      () => hooksFor(firing?.id ?? '').length === 2,
    );
    expect(hooksFor(firing?.id ?? '')).toEqual(['firing', 'resolved']);

    const history = await admin.get(`/api/hosts/local/containers/${name}/health-history`);
    const kinds = history.json<{ incidents: ContainerIncident[] }>().incidents.map((i) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['start', 'exit']));
    const exit = history
      .json<{ incidents: ContainerIncident[] }>()
      .incidents.find((i) => i.kind === 'exit');
    expect(exit).toMatchObject({ exitCode: 3, reason: 'Exited with code 3', containerId: id });
    await admin.delete(`/api/alerts/rules/${exited.id}`);
  });

  it('fires a restart loop once, not once per restart, and records the loop once', async () => {
    const loop = await rule({ name: 'loop', kind: 'restart_loop' });
    const name = fixtures.name('loops');
    const created = {
      Id: await fixtures.createWith('loops', {
        Cmd: ['sh', '-c', 'exit 1'],
        HostConfig: { RestartPolicy: { Name: 'always' } },
      }),
    };
    await fixtures.start(created.Id);
    const [firing] = await waitFor('the loop alert', async () => {
      const found = await alertsOf(loop.id);
      return found.length > 0 && found;
    });
    // Restarts go on well past the loop's third: still one alert, one notification.
    await waitFor(
      'six restarts',
      () => (t.hosts.get('local')?.state.container(created.Id)?.restartCount ?? 0) >= 6,
      30_000,
    );
    await t.services.alertEvaluator.settled();
    expect(await alertsOf(loop.id)).toMatchObject([
      { id: firing?.id, state: 'firing', containerName: name, notifications: 1 },
    ]);
    await waitFor('the notification', () => hooksFor(firing?.id ?? '').length === 1);
    const feed = await admin.get('/api/hosts/local/incidents?kind=restart_loop');
    const loops = feed
      .json<{ incidents: ContainerIncident[] }>()
      .incidents.filter((i) => i.containerId === created.Id);
    expect(loops).toHaveLength(1);
    expect(loops[0]?.reason).toMatch(/^Restart loop: 3 restarts within 1 minute$/);
    await fixtures.remove(created.Id);
    await admin.delete(`/api/alerts/rules/${loop.id}`);
  });

  it('fires an OOM alert for a container killed out of memory, and the events stream carries it', async () => {
    const token = await tokenFor(admin, 'events');
    const events = await WsRecorder.open(t.app, '/api/hosts/local/events', token.headers);
    const oom = await rule({ name: 'oom', kind: 'oom' });
    const name = fixtures.name('oom');
    await fixtures.start(await fixtures.createWith('oom', OUT_OF_MEMORY));
    const [firing] = await waitFor('the OOM alert', async () => {
      const found = await alertsOf(oom.id);
      return found.length > 0 && found;
    });
    expect(firing).toMatchObject({
      containerName: name,
      summary: `${name} was killed: out of memory`,
    });
    const streamed = await events.waitFor('the alert message', () =>
      events.of('alert').find((m) => (m.alert as Alert).id === firing?.id),
    );
    expect(streamed).toMatchObject({ host: 'local', alert: { ruleId: oom.id, state: 'firing' } });
    events.socket.close();
    await admin.delete(`/api/alerts/rules/${oom.id}`);
  });

  it('holds the notification of a silenced alert (the alert still shows), sends it once the silence ends, and takes an ack', async () => {
    const base = 'silenced';
    const silence = await admin.post('/api/alerts/silences', {
      matchers: { container: fixtures.name(base) },
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      comment: 'maintenance',
    });
    expect(silence.statusCode, silence.body).toBe(201);
    const down = await rule({ name: 'down', kind: 'container_down' });
    await startContainer(base, ['sh', '-c', 'exit 0']);
    const [held] = await waitFor('the silenced alert', async () => {
      const found = await alertsOf(down.id);
      return found[0]?.silenced === true && found;
    });
    expect(held).toMatchObject({ state: 'firing', notifications: 0, silenced: true });
    expect(hooksFor(held?.id ?? '')).toEqual([]);

    const silences = await admin.get('/api/alerts/silences');
    const { id: silenceId } = silence.json<Silence>();
    expect(silences.json<{ silences: Silence[] }>().silences).toMatchObject([
      { id: silenceId, active: true, comment: 'maintenance', createdBy: 'admin' },
    ]);
    expect((await admin.delete(`/api/alerts/silences/${silenceId}`)).statusCode).toBe(204);
    await waitFor(
      'the notification after the silence',
      () => hooksFor(held?.id ?? '').length === 1,
    );

    const ack = await admin.post(`/api/alerts/${held?.id}/ack`, {});
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json<Alert>()).toMatchObject({ acknowledgedBy: 'admin', state: 'firing' });
    expect((await alertsOf(down.id))[0]?.acknowledgedAt).not.toBeNull();
    const audit = await admin.get('/api/audit?limit=50');
    const actions = audit.json<{ entries: { action: string }[] }>().entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'alert.ack',
        'alert_silence.create',
        'alert_silence.delete',
        'alert_rule.create',
      ]),
    );
    expect((await admin.post('/api/alerts/no-such-alert/ack', {})).statusCode).toBe(404);
    // Its rule gone, the alert resolves.
    await admin.delete(`/api/alerts/rules/${down.id}`);
    await waitFor(
      'the alert to resolve',
      async () => (await alertsOf(down.id))[0]?.state === 'resolved',
    );
  });

  it('waits out forMinutes before firing, then notifies again every repeatMinutes', async () => {
    const down = await rule({
      name: 'down-for',
      kind: 'container_down',
      forMinutes: 0.01,
      repeatMinutes: 0.005,
    });
    await startContainer('repeats', ['sh', '-c', 'exit 0']);
    const [firing] = await waitFor('two notifications', async () => {
      const found = await alertsOf(down.id);
      return (found[0]?.notifications ?? 0) >= 2 && found;
    });
    expect(
      Date.parse(firing?.firedAt ?? '') - Date.parse(firing?.startedAt ?? ''),
    ).toBeGreaterThanOrEqual(600);
    await waitFor('the repeats at the webhook', () => hooksFor(firing?.id ?? '').length >= 2);
    expect(new Set(hooksFor(firing?.id ?? ''))).toEqual(new Set(['firing']));
    await admin.delete(`/api/alerts/rules/${down.id}`);
  });

  it('scopes rules to a compose stack and to an environment tag', async () => {
    const project = `alerts-${fixtures.runId}`;
    const stack = await rule({
      name: 'stack',
      kind: 'exited_nonzero',
      scope: { type: 'stack', stack: project },
    });
    const env = await rule({
      name: 'env',
      kind: 'exited_nonzero',
      scope: { type: 'environment', environment: 'production' },
    });
    const inStack = await fixtures.createWith('in-stack', {
      Cmd: ['sh', '-c', 'exit 2'],
      Labels: { 'com.docker.compose.project': project, 'io.berth.environment': 'production' },
    });
    const outside = await fixtures.createWith('outside', { Cmd: ['sh', '-c', 'exit 2'] });
    await Promise.all([fixtures.start(inStack), fixtures.start(outside)]);
    for (const r of [stack, env]) {
      await waitFor('the scoped alert', async () => (await alertsOf(r.id)).length > 0);
    }
    await waitFor('both containers exited', () =>
      [inStack, outside].every(
        (id) => t.hosts.get('local')?.state.container(id)?.state === 'exited',
      ),
    );
    await t.services.alertEvaluator.settled();
    for (const r of [stack, env])
      expect((await alertsOf(r.id)).map((a) => a.containerName)).toEqual([
        fixtures.name('in-stack'),
      ]);
    await admin.delete(`/api/alerts/rules/${stack.id}`);
    await admin.delete(`/api/alerts/rules/${env.id}`);
  });

  it('changes a rule and answers 400 naming the field for bad input, creating nothing', async () => {
    const before = (await admin.get('/api/alerts/rules')).json<{ rules: AlertRule[] }>().rules;
    const cases: [string, Record<string, unknown>, string][] = [
      ['/api/alerts/rules', { name: 'x', kind: 'exited_nonzero', threshold: 50 }, 'body.threshold'],
      ['/api/alerts/rules', { name: 'x', kind: 'cpu_hot' }, 'body.kind'],
      ['/api/alerts/rules', { name: 'x', kind: 'oom', forMinutes: -1 }, 'body.forMinutes'],
      ['/api/alerts/rules', { name: 'x', kind: 'oom', channels: ['nope'] }, 'body.channels'],
      [
        '/api/alerts/rules',
        { name: 'x', kind: 'oom', scope: { type: 'host', host: 'nope' } },
        'body.scope.host',
      ],
      ['/api/alerts/rules', { name: 'x', kind: 'host_unreachable', scope }, 'body.scope.type'],
      ['/api/alerts/rules', { name: '', kind: 'oom' }, 'body.name'],
      [
        '/api/alerts/silences',
        { matchers: {}, endsAt: new Date(Date.now() + 60_000).toISOString() },
        'body.matchers',
      ],
      [
        '/api/alerts/silences',
        { matchers: { host: 'local' }, endsAt: '2001-01-01T00:00:00Z' },
        'body.endsAt',
      ],
    ];
    for (const [url, body, field] of cases) {
      const res = await admin.post(url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
      const fields = res
        .json<{ error: { details: { issues: { field: string }[] } } }>()
        .error.details.issues.map((i) => i.field);
      expect(fields, res.body).toContain(field);
    }
    expect((await admin.get('/api/alerts/rules')).json<{ rules: AlertRule[] }>().rules).toEqual(
      before,
    );
    expect((await admin.get('/api/alerts?state=burning')).statusCode).toBe(400);

    const cpu = await rule({ name: 'cpu', kind: 'cpu_above', threshold: 90, forMinutes: 5 });
    expect(cpu).toMatchObject({ severity: 'warning', threshold: 90, enabled: true });
    const patched = await admin.patch(`/api/alerts/rules/${cpu.id}`, {
      enabled: false,
      threshold: null,
    });
    expect(patched.json<AlertRule>()).toMatchObject({
      enabled: false,
      threshold: null,
      kind: 'cpu_above',
    });
    expect((await admin.get(`/api/alerts/rules/${cpu.id}`)).json<AlertRule>().enabled).toBe(false);
    expect((await admin.delete(`/api/alerts/rules/${cpu.id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/alerts/rules/${cpu.id}`)).statusCode).toBe(404);
  });
});
