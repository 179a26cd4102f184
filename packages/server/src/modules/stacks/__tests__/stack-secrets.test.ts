import type { StackDetail, StackOperationResult, StackPlan } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainersApi } from '../../../docker/containers-api.js';
import { readLogLines } from '../../containers/container-logs.js';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

/** Secrets and configs from a variable or inline content, copied into the container before it starts. */
describe('stack secrets and configs without files', () => {
  const fixtures = new EngineFixtures();
  const name = `secrets-${fixtures.runId}`;
  const base = `/api/hosts/local/stacks/${name}`;
  const api = new ContainersApi(fixtures.client);
  let t: TestApp;
  let admin: ApiClient;

  const files = (token: string) => ({
    'compose.yaml': [
      'services:',
      '  app:',
      `    image: ${TEST_IMAGE}`,
      '    command:',
      '      - sh',
      '      - -c',
      "      - stat -c '%n %a %u:%g' /run/secrets/token /etc/app.conf /settings; cat /run/secrets/token; echo; cat /etc/app.conf; exec sleep 600",
      '    stop_grace_period: 1s',
      '    secrets:',
      '      - source: token',
      '        uid: "1000"',
      '        gid: "1001"',
      '        mode: 0o400',
      '    configs:',
      '      - source: conf',
      '        target: /etc/app.conf',
      '        mode: 0o640',
      '      - settings',
      'secrets:',
      '  token:',
      '    environment: TOKEN',
      'configs:',
      '  conf:',
      '    content: |',
      '      mode=fast',
      '  settings:',
      '    content: "x=1"',
      '',
    ].join('\n'),
    '.env': `TOKEN=${token}\n`,
  });

  const logsOf = async (id: string, count: number): Promise<string[]> =>
    waitFor('the container to print its files', async () => {
      const lines = await readLogLines(api, id, 20);
      return lines.length >= count && lines;
    });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await admin.post(`${base}/down`, { removeVolumes: true });
    await t.close();
    await fixtures.cleanup();
  });

  it('writes them at their targets with the long syntax’s owner and mode, and never shows the value', async () => {
    const created = await admin.post('/api/hosts/local/stacks', { name, files: files('tok-one') });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<StackDetail>().issues).toEqual([]);

    const config = await admin.get(`${base}/config`);
    expect(config.statusCode, config.body).toBe(200);
    expect(config.body).not.toContain('tok-one');
    const project = config.json<{ secrets: object; configs: Record<string, object> }>();
    expect(project.secrets).toEqual({ token: { name: `${name}_token`, environment: 'TOKEN' } });
    expect(project.configs.conf).toEqual({ name: `${name}_conf`, content: 'mode=fast\n' });

    const planned = await admin.post(`${base}/plan`, {});
    expect(planned.statusCode, planned.body).toBe(200);
    expect(planned.body).not.toContain('tok-one');
    const up = await admin.post(`${base}/up`, { planId: planned.json<StackPlan>().planId });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json<StackOperationResult>().ok).toBe(true);
    expect(up.body).not.toContain('tok-one');

    const app = await api.inspect(`${name}-app-1`);
    expect(JSON.stringify(app.Config.Labels)).not.toContain('tok-one');
    expect(JSON.stringify(app.Config.Env)).not.toContain('tok-one');
    expect(await logsOf(app.Id, 5)).toEqual([
      '/run/secrets/token 400 1000:1001',
      '/etc/app.conf 640 0:0',
      '/settings 444 0:0',
      'tok-one',
      'mode=fast',
    ]);

    // A new value recreates the service; the plan names the secret, not its value.
    const edited = await admin.request('PUT', base, { files: files('tok-two') });
    expect(edited.statusCode, edited.body).toBe(200);
    const second = await admin.post(`${base}/plan`, {});
    expect(second.body).not.toContain('tok-two');
    const service = second.json<StackPlan>().services.find((s) => s.service === 'app');
    expect(service).toMatchObject({ action: 'recreate', changes: ['secrets.token'] });
    const again = await admin.post(`${base}/up`, { planId: second.json<StackPlan>().planId });
    expect(again.json<StackOperationResult>().ok).toBe(true);
    const recreated = await api.inspect(`${name}-app-1`);
    expect(recreated.Id).not.toBe(app.Id);
    expect((await logsOf(recreated.Id, 5))[3]).toBe('tok-two');
  });

  it('names a secret whose variable is not set', async () => {
    const res = await admin.post('/api/hosts/local/stacks/validate', {
      name: `${name}-unset`,
      files: { 'compose.yaml': files('x')['compose.yaml'] },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ ok: boolean; issues: { path: string; message: string }[] }>();
    expect(body.ok).toBe(false);
    expect(body.issues).toContainEqual(
      expect.objectContaining({ path: 'secrets.token.environment' }),
    );
  });

  it('masks the secret host variables in config, wherever their value occurs, and still passes them to the container', async () => {
    const vars = await admin.request('PUT', '/api/hosts/local/stack-variables', {
      variables: [
        { name: 'DB_PASSWORD', value: 'pw-hunter2', secret: true },
        { name: 'PIN', value: '42', secret: true },
        { name: 'GREETING', value: 'hello', secret: false },
      ],
    });
    expect(vars.statusCode, vars.body).toBe(200);
    const masked = `${name}-masked`;
    const created = await admin.post('/api/hosts/local/stacks', {
      name: masked,
      files: {
        'compose.yaml': [
          'services:',
          '  db:',
          `    image: ${TEST_IMAGE}`,
          '    command: ["sleep", "600"]',
          '    stop_grace_period: 1s',
          '    environment:',
          '      PASSWORD: ${DB_PASSWORD}',
          '      DSN: postgres://app:${DB_PASSWORD}@db/app',
          '      PIN: ${PIN}',
          '      GREETING: ${GREETING}',
          '    labels:',
          '      note: pin ${PIN} for ${GREETING}',
          '',
        ].join('\n'),
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    try {
      const config = await admin.get(`/api/hosts/local/stacks/${masked}/config`);
      expect(config.statusCode, config.body).toBe(200);
      expect(config.body).not.toContain('hunter2');
      const db = config.json<{
        services: Record<string, { environment: object; labels: object }>;
      }>().services.db;
      expect(db?.environment).toEqual({
        PASSWORD: '********',
        DSN: 'postgres://app:********@db/app',
        PIN: '********',
        GREETING: 'hello',
      });
      expect(db?.labels).toEqual({ note: 'pin ******** for hello' });

      const up = await admin.post(`/api/hosts/local/stacks/${masked}/up`, {});
      expect(up.statusCode, up.body).toBe(200);
      expect(up.json<StackOperationResult>().ok).toBe(true);
      const env = (await api.inspect(`${masked}-db-1`)).Config.Env;
      expect(env).toContain('PASSWORD=pw-hunter2');
      expect(env).toContain('DSN=postgres://app:pw-hunter2@db/app');
      expect(env).toContain('PIN=42');
    } finally {
      await admin.post(`/api/hosts/local/stacks/${masked}/down`, { removeVolumes: true });
    }
  });
});
