import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  api,
  ContainerList,
  createApiClient,
  FleetContainerList,
  HostList,
  ImageList,
  NetworkList,
  RecentEvents,
  StackList,
  TokenList,
  UserList,
  VolumeList,
} from '@berth/contract';
import type { z } from 'zod';
import { call } from '../../../../e2e/berth-process.js';
import {
  EngineFixtures,
  TEST_IMAGE,
  TEST_LABEL,
  testSocketPath,
} from '../../../server/src/testing/test-engine.js';
import { CliWorld } from './cli-harness.js';

const world = new CliWorld();
const engine = new EngineFixtures();
const web = engine.name('web');
const db = engine.name('db');
const net = engine.name('net');
const vol = engine.name('vol');
const stack = `st${engine.runId}`;
let viewerToken = '';

const get = (args: string[], token?: string) =>
  world.run(['get', ...args], { env: world.env(token) });
/** The cells of the row whose first cell is `first`. */
const rowOf = (out: string, first: string) =>
  out
    .split('\n')
    .find((l) => l.split(/\s{3,}/)[0] === first)
    ?.split(/\s{3,}/);

beforeAll(async () => {
  await world.start();
  await engine.createContainer('web', ['sleep', '300'], { tier: 'web' });
  await engine.createContainer('db', ['sleep', '300'], { tier: 'db' });
  await engine.client.request('POST', '/networks/create', {
    body: { Name: net, Labels: { [TEST_LABEL]: engine.runId, tier: 'web' } },
  });
  await engine.client.request('POST', '/volumes/create', {
    body: { Name: vol, Labels: { [TEST_LABEL]: engine.runId } },
  });
  const made = await call(
    world.base,
    'POST',
    '/api/hosts/local/stacks',
    { name: stack, files: { 'compose.yaml': `services:\n  app:\n    image: ${TEST_IMAGE}\n` } },
    world.adminCookie,
  );
  expect(made.status, made.body).toBe(201);
  // A second entry for the same engine, as the fleet tests do: -A then lists both hosts.
  const beta = await call(
    world.base,
    'POST',
    '/api/hosts',
    { name: 'beta', kind: 'socket', url: `unix://${testSocketPath()}`, allowDuplicate: true },
    world.adminCookie,
  );
  expect(beta.status, beta.body).toBe(201);
  // A viewer granted the local host, logged in: the token `berth login` would store.
  const password = 'viewer1 password 123';
  const user = await call(
    world.base,
    'POST',
    '/api/users',
    { username: 'viewer1', password, role: 'viewer', hosts: ['local'], mustChangePassword: false },
    world.adminCookie,
  );
  expect(user.status, user.body).toBe(201);
  const login = await call(world.base, 'POST', '/api/auth/login', {
    username: 'viewer1',
    password,
  });
  viewerToken = await world.tokenFor(login.cookie ?? '', 'viewer1 token');
});
afterAll(async () => {
  const admin = createApiClient(api, {
    baseUrl: world.base,
    headers: () => ({ authorization: `Bearer ${world.adminToken}` }),
  });
  await admin.stacks.remove({ params: { host: 'local', name: stack } });
  await engine.cleanup();
  await world.stop();
});

describe('berth get <kind>', () => {
  const kinds: [string, z.ZodType, string][] = [
    ['containers', ContainerList, 'NAME'],
    ['images', ImageList, 'REPOSITORY'],
    ['networks', NetworkList, 'NAME'],
    ['volumes', VolumeList, 'NAME'],
    ['stacks', StackList, 'NAME'],
    ['hosts', HostList, 'NAME'],
    ['users', UserList, 'NAME'],
    ['tokens', TokenList, 'NAME'],
    ['events', RecentEvents, 'TIME'],
  ];

  it.each(kinds)(
    'lists %s as a table, and -o yaml parses back to the contract',
    async (k, schema, head) => {
      const table = await get([k]);
      expect(table.err).toBe('');
      expect(table.code).toBe(0);
      expect(table.out.split('\n')[0]).toContain(head);
      const yaml = await get([k, '-o', 'yaml']);
      expect(yaml.code).toBe(0);
      expect(() => schema.parse(parse(yaml.out))).not.toThrow();
    },
  );

  it('shows each kind with its own columns', async () => {
    const [networks, volumes, stacks, hosts, users, tokens] = await Promise.all([
      get(['networks', net]),
      get(['vol', vol]),
      get(['stack', stack]),
      get(['hosts']),
      get(['users']),
      get(['tokens']),
    ]);
    expect(networks.out).toMatch(/^NAME\s+DRIVER\s+SCOPE\s+SUBNET\s+CONTAINERS\n/);
    const wide = await get(['images', TEST_IMAGE, '-o', 'wide']);
    expect(wide.out.split('\n')[0]).toMatch(/\sIN USE\s+DIGEST\s+PREVIOUSLY$/);
    expect((await get(['images', TEST_IMAGE, '-o', 'name'])).out).toBe(`image/${TEST_IMAGE}\n`);
    expect(rowOf(networks.out, net)?.slice(1, 3)).toEqual(['bridge', 'local']);
    expect(volumes.out).toMatch(/^NAME\s+DRIVER\s+SIZE\s+IN USE\n/);
    expect(rowOf(volumes.out, vol)).toEqual([vol, 'local', expect.stringMatching(/B$/), 'no']);
    expect(stacks.out).toMatch(/^NAME\s+STATE\s+SERVICES/);
    expect(rowOf(stacks.out, stack)?.[2]).toBe('0/1');
    expect(hosts.out).toMatch(/^NAME\s+KIND\s+STATE\s+ENGINE/);
    expect(rowOf(hosts.out, 'beta')?.slice(1, 3)).toEqual(['socket', 'reachable']);
    expect(users.out).toMatch(/^NAME\s+ROLE\s+2FA\s+LAST LOGIN/);
    expect(rowOf(users.out, 'viewer1')?.slice(1, 4)).toEqual([
      'viewer',
      'off',
      expect.stringMatching(/^\d+s ago$/),
    ]);
    expect(tokens.out).toMatch(/^NAME\s+PREFIX\s+ROLE\s+SCOPE\s+EXPIRES\s+LAST USED/);
    expect(rowOf(tokens.out, 'cli tests')?.[3]).toBe('api');
    expect(rowOf(tokens.out, 'cli tests')?.[5]).toMatch(/ago$/);
    // -o name: one word per token (its prefix), which `get tokens` takes back.
    const prefix = rowOf(tokens.out, 'cli tests')?.[1] ?? '';
    const names = (await get(['tokens', '-o', 'name'])).out.trimEnd().split('\n');
    expect(names).toContain(`token/${prefix}`);
    for (const n of names) expect(n).toMatch(/^token\/\S+$/);
    expect(rowOf((await get(['tokens', prefix])).out, 'cli tests')?.[1]).toBe(prefix);
  });

  it("gives an image's CREATED as the age of its creation time (not of a number of seconds)", async () => {
    const yaml = ImageList.parse(parse((await get(['images', TEST_IMAGE, '-o', 'yaml'])).out));
    const image = yaml.images[0];
    expect(image?.tags).toContain(TEST_IMAGE);
    const created = Date.parse(image?.created ?? '');
    // The age of the API's time, read just before and just after the table is printed.
    const ageAt = (now: number) => {
      const minutes = Math.round((now - created) / 60_000);
      if (minutes < 2) return /^\d+s$/;
      if (minutes < 120) return new RegExp(`^${minutes}m$`);
      const hours = Math.round(minutes / 60);
      return hours < 48 ? new RegExp(`^${hours}h$`) : new RegExp(`^${Math.round(hours / 24)}d$`);
    };
    const before = ageAt(Date.now());
    const table = await get(['images', TEST_IMAGE]);
    const after = ageAt(Date.now());
    expect(table.out).toMatch(/^REPOSITORY\s+TAG\s+ID\s+SIZE\s+CREATED\s+IN USE\n/);
    const cells = table.out.split('\n')[1]?.split(/\s{3,}/) ?? [];
    expect(cells[0]).toBe(TEST_IMAGE.split(':')[0]);
    expect(before.test(cells[4] ?? '') || after.test(cells[4] ?? '')).toBe(true);
    expect(cells[5]).toMatch(/^yes \(\d+/);
  });

  it('keeps what -l selects: key, key=value, key!=value, !key, comma-separated', async () => {
    const names = async (...selectors: string[]) => {
      const res = await get(['containers', ...selectors.flatMap((s) => ['-l', s]), '-o', 'name']);
      expect(res.code).toBe(0);
      return res.out.split('\n').filter((l) => l.includes(engine.runId));
    };
    expect(await names('tier=web')).toEqual([`container/${web}`]);
    expect((await names('tier')).sort()).toEqual([`container/${db}`, `container/${web}`].sort());
    expect(await names(`${TEST_LABEL}=${engine.runId},tier!=web`)).toEqual([`container/${db}`]);
    expect(await names('!tier')).toEqual([]);
    expect(await names('tier=web', 'tier=db')).toEqual([]);
    const networks = await get(['networks', '-l', 'tier=web', '-o', 'name']);
    expect(networks.out.trim()).toBe(`network/${net}`);
    const bad = await get(['stacks', '-l', 'a=b']);
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('no labels') });
  });

  it('prints the names that match and fails naming the one that matches nothing', async () => {
    const res = await get(['containers', web, 'nosuch-container']);
    expect(res.code).toBe(1);
    expect(res.out).toContain(web);
    expect(res.err).toContain('containers "nosuch-container" not found');
    // Only missing names: the not-found error alone, no "No resources found." before it.
    const none = await get(['networks', 'nosuch-net']);
    expect(none.code).toBe(1);
    expect(none.out).toBe('');
    expect(none.err.trim().split('\n')).toEqual([
      expect.stringContaining('"nosuch-net" not found'),
    ]);
    const yaml = await get(['ps', web.slice(0, 40), '-o', 'yaml']);
    expect(ContainerList.parse(parse(yaml.out)).containers.map((c) => c.name)).toEqual([web]);
  });

  it('lists every host with -A: the fleet route, or each host in turn, with a HOST column', async () => {
    const fleet = await get(['containers', '-A', web]);
    expect(fleet.code).toBe(0);
    expect(fleet.out.split('\n')[0]).toMatch(/^HOST\s+NAME\s+STATE/);
    expect(rowOf(fleet.out, 'local')?.[1]).toBe(web);
    expect(rowOf(fleet.out, 'beta')?.[1]).toBe(web);
    const yaml = FleetContainerList.parse(parse((await get(['ps', '-A', web, '-o', 'yaml'])).out));
    expect(yaml.containers.map((c) => c.host).sort()).toEqual(['beta', 'local']);
    const looped = await get(['networks', '--all-hosts', net]);
    expect(looped.out.split('\n')[0]).toMatch(/^HOST\s+NAME\s+DRIVER/);
    expect(rowOf(looped.out, 'beta')?.[1]).toBe(net);
    const stacks = parse((await get(['stacks', '-A', '-o', 'json'])).out) as {
      stacks: { host: string; name: string }[];
      hosts: { id: string }[];
    };
    expect(stacks.hosts.map((h) => h.id).sort()).toEqual(['beta', 'local']);
    expect(stacks.stacks.filter((s) => s.name === stack).map((s) => s.host)).toContain('local');
  });

  it("lets a viewer's token read, but not what only admins may list", async () => {
    const ps = await get(['containers', web], viewerToken);
    expect(ps.code).toBe(0);
    expect(ps.out).toContain(web);
    const users = await get(['users'], viewerToken);
    expect(users.code).toBe(1);
    expect(users.err.trim().split('\n')).toHaveLength(1);
  });
});
