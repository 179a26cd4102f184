import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { api, ContainerDetail, createApiClient, StackDetail, UserView } from '@berth/contract';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../server/src/testing/test-engine.js';
import { CliWorld } from './cli-harness.js';

const world = new CliWorld();
const engine = new EngineFixtures();
const app = engine.name('app');
const net = engine.name('net');
const vol = engine.name('vol');
const stack = `ds${engine.runId}`;

const describeOf = (...args: string[]) => world.run(['describe', ...args], { env: world.env() });
/** The value beside a label ("Status:   running" → "running"). */
const valueOf = (out: string, label: string) =>
  new RegExp(`^[ ]*${label}:[ ]+(.*)$`, 'm').exec(out)?.[1];

beforeAll(async () => {
  await world.start();
  const admin = createApiClient(api, {
    baseUrl: world.base,
    headers: () => ({ authorization: `Bearer ${world.adminToken}` }),
  });
  await engine.client.request('POST', '/networks/create', {
    body: { Name: net, Labels: { [TEST_LABEL]: engine.runId } },
  });
  await engine.client.request('POST', '/volumes/create', {
    body: { Name: vol, Labels: { [TEST_LABEL]: engine.runId } },
  });
  // Through Berth, so the container has what a page shows: env, ports, a mount, a network.
  await admin.containers.create({
    params: { host: 'local' },
    body: {
      name: app,
      image: TEST_IMAGE,
      command: ['sleep', '300'],
      env: { MODE: 'test' },
      ports: [{ containerPort: 8080 }],
      mounts: [{ type: 'volume', source: vol, target: '/data' }],
      networks: [{ name: net }],
      labels: { [TEST_LABEL]: engine.runId, tier: 'web' },
      restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
      validateSeconds: 0,
    },
  });
  await admin.stacks.create({
    params: { host: 'local' },
    body: {
      name: stack,
      files: { 'compose.yaml': `services:\n  app:\n    image: ${TEST_IMAGE}\n` },
    },
  });
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

describe('berth describe', () => {
  it('shows a container in sections: state, image, command, env, ports, mounts, networks, labels, health, restart policy', async () => {
    const { code, out, err } = await describeOf('container', app);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(valueOf(out, 'Name')).toBe(app);
    for (const section of ['State', 'Image', 'Command', 'Resources'])
      expect(out).toMatch(new RegExp(`^${section}:$`, 'm'));
    expect(valueOf(out, 'Status')).toBe('running');
    expect(valueOf(out, 'Reference')).toBe(TEST_IMAGE);
    expect(valueOf(out, 'Command')).toBe('sleep 300');
    expect(valueOf(out, 'Environment Variables')).toBe('MODE=test');
    expect(valueOf(out, 'Ports')).toMatch(/^(\S+:)?\d+->8080\/tcp/);
    expect(valueOf(out, 'Mounts')).toBe(`volume ${vol} -> /data`);
    expect(valueOf(out, 'Networks')).toMatch(new RegExp(`^${net} \\(\\d+\\.`));
    expect(out).toMatch(/^\s+tier=web$/m);
    expect(valueOf(out, 'Health')).toBe('<none>');
    expect(valueOf(out, 'Restart Policy')).toBe('on-failure (max 3 retries)');
    expect(valueOf(out, 'Docker Run')).toMatch(/^docker run /);
  });

  it('prints the get route answer with -o yaml', async () => {
    const { code, out } = await describeOf('container', app, '-o', 'yaml');
    expect(code).toBe(0);
    expect(ContainerDetail.parse(parse(out)).name).toBe(app);
    const user = await describeOf('user', 'admin', '-o', 'json');
    expect(UserView.parse(JSON.parse(user.out)).username).toBe('admin');
    const st = await describeOf('stack', stack, '-o', 'yaml');
    expect(StackDetail.parse(parse(st.out)).name).toBe(stack);
  });

  it('shows an image with its tags, layers and the containers using it', async () => {
    const { code, out } = await describeOf('image', TEST_IMAGE);
    expect(code).toBe(0);
    // Other tests on the shared engine may tag the same image: ours is one of its tag lines.
    expect(out).toMatch(/^Tags:/m);
    expect(out).toMatch(new RegExp(`^(Tags:)?\\s+${TEST_IMAGE}$`, 'm'));
    expect(out).toMatch(/^Layers \(\d+\):$/m);
    expect(out).toMatch(new RegExp(`\\s${app} \\(running\\)$`, 'm'));
  });

  it('shows networks, volumes, stacks, hosts and users', async () => {
    const [n, v, s, h, u] = await Promise.all([
      describeOf('network', net),
      describeOf('volume', vol),
      describeOf('stack', stack),
      describeOf('host', 'local'),
      describeOf('user', 'admin'),
    ]);
    expect(valueOf(n.out, 'Driver')).toBe('bridge');
    expect(valueOf(n.out, 'Containers')).toMatch(new RegExp(`^${app} `));
    expect(valueOf(v.out, 'Used By')).toBe(`${app} (running) at /data`);
    expect(s.out).toMatch(/^Services \(1\):$/m);
    expect(valueOf(s.out, 'Source')).toBe('berth');
    expect(valueOf(h.out, 'State')).toMatch(/^reachable since/);
    expect(h.out).toMatch(/^Machine:$/m);
    expect(valueOf(u.out, 'Role')).toBe('admin');
    expect(valueOf(u.out, 'Last Login')).toMatch(/ago\)$/);
  });

  it('fails naming what is not there, and refuses a kind it does not know (2)', async () => {
    const missing = await describeOf('container', 'no-such-container');
    expect(missing.code).toBe(1);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(await describeOf('pod', 'x')).toMatchObject({
      code: 2,
      err: expect.stringContaining('cannot describe "pod"'),
    });
  });
});
