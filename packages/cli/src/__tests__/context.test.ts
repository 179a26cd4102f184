import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Health } from '@berth/contract';
import { freePort } from '../../../server/src/testing/free-port.js';
import { ContextList } from '../commands/context.js';
import { CliWorld } from './cli-harness.js';
import { configFileOf, readConfigOf } from './auth-harness.js';

const world = new CliWorld();
let viewerToken = '';
beforeAll(async () => {
  await world.start();
  viewerToken = await world.userToken('ctx-viewer', 'viewer');
});
afterAll(() => world.stop());

const run = (args: string[], env: Record<string, string> = {}) => world.run(args, { env });

describe('berth context', () => {
  it('adds contexts (file 0600), lists them with the current one marked, and -o yaml without tokens', async () => {
    expect(
      (await run(['context', 'add', 'admin', '--url', world.base, '--token', world.adminToken]))
        .code,
    ).toBe(0);
    const viewer = await run([
      'context',
      'add',
      'viewer',
      '--url',
      `${world.base}/`,
      '--token',
      viewerToken,
      '-H',
      'local',
    ]);
    expect(viewer.code).toBe(0);
    expect(readConfigOf(world).mode).toBe(0o600);
    expect(statSync(configFileOf(world)).isFile()).toBe(true);

    const table = await run(['context', 'ls']);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.out.trimEnd().split('\n');
    expect(header).toMatch(/^CURRENT\s+NAME\s+URL\s+HOST\s+USER$/);
    // The first context added became the current one.
    expect(rows[0]).toMatch(new RegExp(`^\\*\\s+admin\\s+${world.base}\\s+local`));
    expect(rows[1]).toMatch(new RegExp(`^\\s+viewer\\s+${world.base}\\s+local`));

    const yaml = await run(['context', 'ls', '-o', 'yaml']);
    const list = ContextList.parse(parse(yaml.out));
    expect(list.currentContext).toBe('admin');
    expect(list.contexts.map((c) => [c.name, c.current, c.loggedIn])).toEqual([
      ['admin', true, true],
      ['viewer', false, true],
    ]);
    expect(yaml.out).not.toContain(viewerToken);
    expect((await run(['context', 'ls', '-o', 'name'])).out).toBe(
      'context/admin\ncontext/viewer\n',
    );
  });

  it('switches with use, --context and BERTH_CONTEXT, and the API calls follow', async () => {
    await run(['context', 'add', 'broken', '--url', world.base, '--token', 'not-a-token']);
    expect((await run(['context', 'current'])).out).toBe('admin\n');
    expect((await run(['get', 'containers', '-o', 'json'])).code).toBe(0);

    const use = await run(['context', 'use', 'broken']);
    expect(use).toMatchObject({ code: 0, out: 'Switched to context "broken".\n' });
    expect((await run(['context', 'current'])).out).toBe('broken\n');
    const refused = await run(['get', 'containers']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('invalid_token');

    expect((await run(['--context', 'admin', 'context', 'current'])).out).toBe('admin\n');
    expect((await run(['get', 'containers', '--context', 'admin', '-o', 'json'])).code).toBe(0);
    expect((await run(['context', 'use', 'admin'])).code).toBe(0);
    expect((await run(['context', 'current'], { BERTH_CONTEXT: 'viewer' })).out).toBe('viewer\n');
    const byVariable = await run(['get', 'containers'], { BERTH_CONTEXT: 'broken' });
    expect(byVariable.code).toBe(1);
    expect(byVariable.err).toContain('invalid_token');
    expect((await run(['get', 'containers', '-o', 'json'])).code).toBe(0);

    const unknown = await run(['context', 'use', 'nowhere']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no context "nowhere"');
  });

  it('sets the default host, and --dry-run writes nothing', async () => {
    const before = readConfigOf(world).text;
    const dry = await run(['context', 'set-host', 'elsewhere', 'viewer', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('(dry run)');
    expect(readConfigOf(world).text).toBe(before);

    expect((await run(['context', 'set-host', 'elsewhere', 'viewer'])).code).toBe(0);
    const viewer = readConfigOf(world).config.contexts.find((c) => c.name === 'viewer');
    expect(viewer?.host).toBe('elsewhere');
    // The host is used: a host that does not exist is the server's 404, said in one line.
    const missing = await run(['get', 'containers', '--context', 'viewer']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('host_not_found');
  });

  it('removes a context only when confirmed (--yes without a terminal)', async () => {
    const refused = await run(['context', 'rm', 'broken']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--yes');
    expect(readConfigOf(world).config.contexts.some((c) => c.name === 'broken')).toBe(true);

    const removed = await run(['context', 'rm', 'broken', '--yes']);
    expect(removed.code).toBe(0);
    expect(readConfigOf(world).config.contexts.map((c) => c.name)).toEqual(['admin', 'viewer']);
  });

  it('rejects a bad name or URL as usage (exit 2)', async () => {
    const name = await run(['context', 'add', '-bad name', '--url', world.base]);
    expect(name.code).toBe(2);
    const url = await run(['context', 'add', 'ftp', '--url', 'ftp://example']);
    expect(url.code).toBe(2);
    expect(url.err).toContain('http(s)');
  });
});

describe('berth version', () => {
  it("prints the client's version and the server's, and -o json is the server's health answer", async () => {
    const plain = await run(['version']);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(
      new RegExp(`^berth \\d+\\.\\d+\\.\\d+\\nserver \\d+\\.\\d+\\.\\d+ \\(${world.base}\\)\\n$`),
    );
    const json = await run(['version', '-o', 'json']);
    const info = JSON.parse(json.out) as { client: { version: string }; server: unknown };
    expect(info.client.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Health.parse(info.server).status).toBe('ok');
  });

  it('prints the client line and exits 1 when the server is unreachable', async () => {
    const away = `http://127.0.0.1:${await freePort()}`;
    const result = await world.run(['version'], { env: { BERTH_URL: away } });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^berth \d+\.\d+\.\d+\n$/);
    expect(result.err).toContain(`server ${away}: cannot reach the server`);
  });
});
