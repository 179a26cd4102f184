import type { StackOperationResult, StackValidation } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../testing/test-engine.js';
import { ENVIRONMENT_LABEL } from '../../containers/berth-labels.js';

type Config = { services: Record<string, { labels: Record<string, string> }> };

/** `x-berth: {environment: …}` at the top of a compose file tags every container of the stack. */
describe('environment tags inherited by a stack’s containers', () => {
  const fixtures = new EngineFixtures();
  const name = `tagged-${fixtures.runId}`;
  const base = `/api/hosts/local/stacks/${name}`;
  let t: TestApp;
  let admin: ApiClient;

  const compose = [
    'x-berth:',
    '  environment: staging',
    'services:',
    '  app:',
    `    image: ${TEST_IMAGE}`,
    '    command: ["sleep", "600"]',
    '    stop_grace_period: 1s',
    '  tool:',
    `    image: ${TEST_IMAGE}`,
    '    command: ["sleep", "600"]',
    '    stop_grace_period: 1s',
    '    labels:',
    `      ${ENVIRONMENT_LABEL}: dev`,
    '',
  ].join('\n');

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await admin.post(`${base}/down`, { removeVolumes: true });
    await t.close();
  });

  it('labels each service in config, and up gives containers the tag (a service’s own label wins)', async () => {
    const created = await admin.post('/api/hosts/local/stacks', {
      name,
      files: { 'compose.yaml': compose },
    });
    expect(created.statusCode, created.body).toBe(201);

    const config = (await admin.get(`${base}/config`)).json<Config>();
    expect(config.services.app?.labels[ENVIRONMENT_LABEL]).toBe('staging');
    expect(config.services.tool?.labels[ENVIRONMENT_LABEL]).toBe('dev');

    const up = await admin.post(`${base}/up`, {});
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json<StackOperationResult>().ok).toBe(true);

    const list = await fixtures.client.listContainers({
      label: [`com.docker.compose.project=${name}`],
    });
    const tags = Object.fromEntries(
      list.map((c) => [
        c.Labels?.['com.docker.compose.service'] ?? '',
        c.Labels?.[ENVIRONMENT_LABEL] ?? null,
      ]),
    );
    expect(tags).toEqual({ app: 'staging', tool: 'dev' });
  });

  it('refuses a tag that is not one, naming the file, line and path', async () => {
    const res = await admin.post('/api/hosts/local/stacks/validate', {
      name: `${name}-bad`,
      files: { 'compose.yaml': compose.replace('environment: staging', 'environment: Not A Tag') },
    });
    const body = res.json<StackValidation>();
    expect(body.ok).toBe(false);
    expect(body.issues[0]).toMatchObject({
      file: 'compose.yaml',
      line: 2,
      path: 'x-berth.environment',
    });
  });
});
