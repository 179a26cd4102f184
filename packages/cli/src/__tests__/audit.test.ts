import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { api, AuditPage, createApiClient } from '@berth/contract';
import { EngineFixtures } from '../../../server/src/testing/test-engine.js';
import { CliWorld } from './cli-harness.js';

const world = new CliWorld();
const engine = new EngineFixtures();
let id = '';

const audit = (args: string[], token?: string) =>
  world.run(['audit', ...args], { env: world.env(token) });

beforeAll(async () => {
  await world.start();
  id = await engine.createContainer('audited', ['sleep', '300']);
  // An action done through Berth beforehand: what the audit log must show.
  const admin = createApiClient(api, {
    baseUrl: world.base,
    headers: () => ({ authorization: `Bearer ${world.adminToken}` }),
  });
  await admin.containers.start({ params: { host: 'local', id } });
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

describe('berth audit', () => {
  it('lists an action done earlier: time, user, action, target, host, result', async () => {
    const { code, out, err } = await audit(['--since', '1h', '--action', 'container.']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^TIME\s+USER\s+ACTION\s+TARGET\s+HOST\s+RESULT$/);
    const row = out.split('\n').find((l) => l.includes('container.start'));
    expect(row?.split(/\s{3,}/)).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      'admin',
      'container.start',
      `${engine.name('audited')} (${id.slice(0, 12)})`,
      'local',
      'success (200)',
    ]);
  });

  it('filters by user, action and host, and -o yaml parses back to the contract', async () => {
    const mine = await audit(['--user', 'admin', '--host', 'local', '-o', 'yaml']);
    const page = AuditPage.parse(parse(mine.out));
    expect(page.entries.map((e) => e.action)).toContain('container.start');
    expect(page.entries.every((e) => e.target?.startsWith('local/'))).toBe(true);
    const beta = AuditPage.parse(parse((await audit(['-H', 'beta', '-o', 'yaml'])).out));
    expect(beta.entries).toEqual([]);
    const nobody = AuditPage.parse(parse((await audit(['--user', 'nobody', '-o', 'yaml'])).out));
    expect(nobody.entries).toEqual([]);
    const one = AuditPage.parse(parse((await audit(['--limit', '1', '-o', 'yaml'])).out));
    expect(one.entries).toHaveLength(1);
  });

  it('says what is wrong with --since and --limit (2), and that viewers may not read it (1)', async () => {
    expect(await audit(['--since', 'yesterday-ish'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--since'),
    });
    expect((await audit(['--limit', '0'])).code).toBe(2);
    const viewer = await world.userToken('auditviewer', 'viewer');
    const denied = await audit([], viewer);
    expect(denied.code).toBe(1);
    expect(denied.err.trim().split('\n')).toHaveLength(1);
  });
});
