import type { SwarmStackList } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';

type Failure = {
  error: { code: string; message: string; details?: { issues?: { field: string }[] } };
};

/**
 * Bad input (a 400 naming the field, nothing done) and a host that is not a swarm manager (a
 * 409 saying so): on the shared test engine, which is never put in swarm mode.
 */
describe('swarm stacks: bad input and a host that is not a swarm manager', () => {
  let t: TestApp;
  let operator: ApiClient;
  const base = '/api/hosts/local/swarm-stacks';
  const COMPOSE = 'services:\n  web:\n    image: busybox\n';

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    operator = await tokenFor(await userSession(admin, 'swarm-input-op', 'operator'));
  });
  afterAll(() => t.close());

  const cases: { name: string; url: string; body: unknown; field: string }[] = [
    { name: 'no source', url: `${base}/shop/plan`, body: {}, field: 'body.source' },
    {
      name: 'an empty source',
      url: `${base}/shop/plan`,
      body: { source: {} },
      field: 'body.source.stack',
    },
    {
      name: 'a bad stack name',
      url: `${base}/shop/plan`,
      body: { source: { stack: 'Not A Name' } },
      field: 'body.source.stack',
    },
    {
      name: 'prune not a boolean',
      url: `${base}/shop/deploy`,
      body: { source: { stack: 'shop' }, prune: 'yes' },
      field: 'body.prune',
    },
    {
      name: 'an unknown field',
      url: `${base}/shop/deploy`,
      body: { source: { stack: 'shop' }, force: true },
      field: 'body.force',
    },
    {
      name: 'a file path out of the stack',
      url: `${base}/shop/plan`,
      body: { source: { files: { '../compose.yaml': COMPOSE } } },
      field: 'body.source.files',
    },
    {
      name: 'a namespace docker would refuse',
      url: `${base}/Shop!/plan`,
      body: { source: { stack: 'shop' } },
      field: 'params.name',
    },
  ];
  for (const c of cases) {
    it(`${c.name}: 400 naming ${c.field}`, async () => {
      const res = await operator.post(c.url, c.body);
      expect(res.statusCode, res.body).toBe(400);
      const fields = res.json<Failure>().error.details?.issues?.map((i) => i.field) ?? [];
      expect(
        fields.some((f) => f.startsWith(c.field)),
        fields.join(', '),
      ).toBe(true);
    });
  }

  it('lists no stacks on an engine outside a swarm, and says so', async () => {
    const res = await operator.get(base);
    expect(res.statusCode).toBe(200);
    expect(res.json<SwarmStackList>()).toEqual({
      manager: false,
      nodeState: 'inactive',
      stacks: [],
    });
  });

  it('refuses plan, deploy, inspect and remove with a 409 naming the reason', async () => {
    const source = { source: { files: { 'compose.yaml': COMPOSE } } };
    for (const [method, url] of [
      ['POST', `${base}/shop/plan`],
      ['POST', `${base}/shop/deploy`],
      ['GET', `${base}/shop`],
      ['DELETE', `${base}/shop`],
    ] as const) {
      const res = await operator.request(method, url, method === 'POST' ? source : undefined);
      expect(res.statusCode, `${method} ${url}`).toBe(409);
      expect(res.json<Failure>().error).toMatchObject({
        code: 'not_swarm_manager',
        message: 'local is not in a swarm (inactive): init one or join it as a manager first',
      });
    }
  });
});
