import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CliWorld } from './cli-harness.js';
import { configFileOf, readConfigOf, runInTerminal } from './auth-harness.js';

const world = new CliWorld();
let fingerprint = '';
beforeAll(async () => {
  await world.start({ BERTH_TLS: 'self-signed' });
  // The server prints its certificate's fingerprint at start, for users to compare or pin.
  const line = await world.berth.logged('TLS certificate SHA-256 fingerprint:');
  fingerprint = line.split('fingerprint:')[1]?.trim() ?? '';
});
afterAll(() => world.stop());

const login = (extra: string[]) =>
  world.run(['login', world.base, '-u', ADMIN.username, '--password-stdin', ...extra], {
    input: `${ADMIN.password}\n`,
  });

describe('berth login to a server with a self-signed certificate', () => {
  it('serves https and prints a SHA-256 fingerprint', () => {
    expect(world.base).toMatch(/^https:/);
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('refuses it without a terminal, showing the fingerprint and naming --fingerprint and --ca-file', async () => {
    const refused = await login(['--name', 'refused']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(fingerprint);
    expect(refused.err).toContain('--fingerprint');
    expect(refused.err).toContain('--ca-file');
    expect(existsSync(configFileOf(world))).toBe(false);
  });

  it('pins a fingerprint given with --fingerprint (any spelling) and then trusts only that one', async () => {
    const spelled = fingerprint.replace(/:/g, '').toLowerCase();
    const ok = await login(['--name', 'pinned', '--fingerprint', spelled]);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    const entry = readConfigOf(world).config.contexts.find((c) => c.name === 'pinned');
    expect(entry?.fingerprint).toBe(fingerprint);
    const list = await world.run(['get', 'containers', '-o', 'json']);
    expect(list.code).toBe(0);

    const other = `${fingerprint.slice(0, -2)}${fingerprint.endsWith('00') ? '11' : '00'}`;
    const wrong = await world.run(['get', 'containers', '--fingerprint', other]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(`not the pinned ${other}`);
  });

  it('asks on a terminal to trust the certificate (TOFU) and pins it on yes', async () => {
    const terminal = runInTerminal(['login', world.base, '--name', 'tofu'], { HOME: world.home });
    await terminal.shows('Trust this certificate');
    expect(terminal.screen()).toContain(fingerprint);
    terminal.type('y\r');
    await terminal.shows('Username:');
    terminal.type(`${ADMIN.username}\r`);
    await terminal.shows('Password:');
    terminal.type(`${ADMIN.password}\r`);
    expect(await terminal.exit).toBe(0);
    const entry = readConfigOf(world).config.contexts.find((c) => c.name === 'tofu');
    expect(entry?.fingerprint).toBe(fingerprint);
    expect(readConfigOf(world).config.currentContext).toBe('tofu');
  });

  it('stops on no, storing nothing', async () => {
    const before = readConfigOf(world).text;
    const terminal = runInTerminal(['login', world.base, '--name', 'declined'], {
      HOME: world.home,
    });
    await terminal.shows('Trust this certificate');
    terminal.type('n\r');
    expect(await terminal.exit).toBe(1);
    expect(terminal.screen()).toContain('not trusted');
    expect(readConfigOf(world).text).toBe(before);
  });
});
