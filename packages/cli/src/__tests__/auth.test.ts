import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TokenList } from '@berth/contract';
import { call } from '../../../../e2e/berth-process.js';
import { freePort } from '../../../server/src/testing/free-port.js';
import { totpCode } from '../../../server/src/modules/auth/totp.js';
import { ADMIN, CliWorld } from './cli-harness.js';
import { configFileOf, makeUser, meStatus, readConfigOf, runInTerminal } from './auth-harness.js';

const world = new CliWorld();
beforeAll(() => world.start());
afterAll(() => world.stop());

/** The environment with no BERTH_URL/BERTH_TOKEN: the CLI goes by its contexts. */
const byContexts = {};

describe('berth login', () => {
  it('logs in with --password-stdin, keeps only a token (file 0600, folder 0700), makes the context current', async () => {
    const login = await world.run(
      ['login', world.base, '--username', ADMIN.username, '--password-stdin', '--name', 'main'],
      { input: `${ADMIN.password}\n`, env: byContexts },
    );
    expect(login.err).toBe('');
    expect(login.code).toBe(0);
    expect(login.out).toContain(`as ${ADMIN.username} (context "main", now current)`);

    const { config, text, mode } = readConfigOf(world);
    expect(mode).toBe(0o600);
    expect(statSync(dirname(configFileOf(world))).mode & 0o777).toBe(0o700);
    expect(text).not.toContain(ADMIN.password);
    expect(config.currentContext).toBe('main');
    const entry = config.contexts.find((c) => c.name === 'main');
    expect(entry).toMatchObject({ url: world.base, user: ADMIN.username });
    expect(entry?.token).toMatch(/.{20,}/);
    expect(await meStatus(world, entry?.token ?? '')).toBe(200);

    // The token is named for this machine; the login session was ended, not left behind.
    const tokens = await call(world.base, 'GET', '/api/me/tokens', undefined, world.adminCookie);
    const named = TokenList.parse(JSON.parse(tokens.body)).tokens.find(
      (t) => t.id === entry?.tokenId,
    );
    expect(named?.name).toBe(`berth CLI on ${hostname()}`);
    const sessions = await call(
      world.base,
      'GET',
      '/api/me/sessions',
      undefined,
      world.adminCookie,
    );
    expect((JSON.parse(sessions.body) as { sessions: unknown[] }).sessions).toHaveLength(1);

    // Commands now go by the context, with no BERTH_URL or BERTH_TOKEN.
    const list = await world.run(['get', 'containers', '-o', 'json'], { env: byContexts });
    expect(list.code).toBe(0);
  });

  it("exits 1 with the server's message on a wrong password, and stores nothing", async () => {
    const before = readConfigOf(world).text;
    const wrong = await world.run(
      ['login', world.base, '-u', ADMIN.username, '--password-stdin', '--name', 'wrong'],
      { input: 'not the password\n', env: byContexts },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.err.trim().split('\n')).toHaveLength(1);
    expect(wrong.err).toMatch(/invalid_credentials: .*(password|username)/i);
    expect(readConfigOf(world).text).toBe(before);
  });

  it('asks for the authenticator code of a 2FA account: --otp, a recovery code, none without a terminal', async () => {
    const user = await makeUser(world, 'otp-user');
    const setup = await call(world.base, 'POST', '/api/me/2fa/setup', {}, user.cookie);
    const { secret } = JSON.parse(setup.body) as { secret: string };
    // Enrol with the previous step's code, so the current one is still unused for the login.
    const enable = await call(
      world.base,
      'POST',
      '/api/me/2fa/enable',
      { code: totpCode(secret, Date.now() - 30_000) },
      user.cookie,
    );
    expect(enable.status).toBe(200);
    const { recoveryCodes } = JSON.parse(enable.body) as { recoveryCodes: string[] };
    const login = (name: string, extra: string[]) =>
      world.run(
        ['login', world.base, '-u', user.username, '--password-stdin', '--name', name, ...extra],
        { input: `${user.password}\n`, env: byContexts },
      );

    const noCode = await login('otp', []);
    expect(noCode.code).toBe(2);
    expect(noCode.err).toContain('--otp');

    const withCode = await login('otp', ['--otp', totpCode(secret, Date.now())]);
    expect(withCode.err).toBe('');
    expect(withCode.code).toBe(0);
    expect(readConfigOf(world).config.currentContext).toBe('otp');

    const withRecovery = await login('otp-recovery', ['--otp', recoveryCodes[0] ?? '']);
    expect(withRecovery.code).toBe(0);
    const badCode = await login('otp-bad', ['--otp', '000000']);
    expect(badCode.code).toBe(1);
    expect(badCode.err).toContain('invalid_totp');
  });

  it('prompts on a terminal: the username echoed, the password hidden', async () => {
    const user = await makeUser(world, 'tty-user');
    const terminal = runInTerminal(['login', world.base, '--name', 'tty'], { HOME: world.home });
    await terminal.shows('Username:');
    terminal.type(`${user.username}\r`);
    await terminal.shows('Password:');
    terminal.type(`${user.password}\r`);
    expect(await terminal.exit).toBe(0);
    const screen = terminal.screen();
    expect(screen).toContain(user.username);
    expect(screen).not.toContain(user.password);
    expect(screen).toContain(`as ${user.username} (context "tty", now current)`);
    expect(readConfigOf(world).config.contexts.find((c) => c.name === 'tty')?.user).toBe(
      user.username,
    );
  });

  it('stores a given token after checking it (--token-stdin), and refuses a bad one', async () => {
    const token = await world.userToken('token-user', 'viewer');
    const ok = await world.run(['login', world.base, '--token-stdin', '--name', 'by-token'], {
      input: `${token}\n`,
      env: byContexts,
    });
    expect(ok.code).toBe(0);
    const entry = readConfigOf(world).config.contexts.find((c) => c.name === 'by-token');
    expect(entry).toMatchObject({ token, user: 'token-user' });
    expect(entry?.tokenId).toBeTruthy();

    const bad = await world.run(['login', world.base, '--token', 'nonsense', '--name', 'bad'], {
      env: byContexts,
    });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('invalid_token');
  });
});

describe('berth logout', () => {
  it('revokes the token on the server (a call with it is then 401) and forgets it', async () => {
    const login = await world.run(
      ['login', world.base, '-u', ADMIN.username, '--password-stdin', '--name', 'leaving'],
      { input: `${ADMIN.password}\n`, env: byContexts },
    );
    expect(login.code).toBe(0);
    const token = readConfigOf(world).config.contexts.find((c) => c.name === 'leaving')?.token;
    expect(await meStatus(world, token ?? '')).toBe(200);

    const dry = await world.run(['logout', '--dry-run'], { env: byContexts });
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/DELETE \/api\/me\/tokens\/\S+/);
    expect(await meStatus(world, token ?? '')).toBe(200);

    const logout = await world.run(['logout'], { env: byContexts });
    expect(logout.err).toBe('');
    expect(logout.code).toBe(0);
    expect(await meStatus(world, token ?? '')).toBe(401);
    const entry = readConfigOf(world).config.contexts.find((c) => c.name === 'leaving');
    expect(entry?.token).toBeUndefined();
    expect(entry?.url).toBe(world.base);

    // A token given by --token (no id stored) is found by its prefix and revoked as well.
    const token2 = await world.userToken('prefix-user', 'viewer');
    await world.run(['login', world.base, '--token', token2, '--name', 'given'], {
      env: byContexts,
    });
    expect((await world.run(['logout', '--context', 'given'], { env: byContexts })).code).toBe(0);
    expect(await meStatus(world, token2)).toBe(401);
  });

  it('keeps the token when the server cannot be reached, unless --force', async () => {
    const away = `http://127.0.0.1:${await freePort()}`;
    const add = await world.run(['context', 'add', 'away', '--url', away, '--token', 'tok-123'], {
      env: byContexts,
    });
    expect(add.code).toBe(0);
    const kept = await world.run(['logout', '--context', 'away'], { env: byContexts });
    expect(kept.code).toBe(1);
    expect(kept.err).toContain('cannot reach the server');
    expect(kept.err).toContain('--force');
    const yaml = parse(readConfigOf(world).text) as {
      contexts: { name: string; token?: string }[];
    };
    expect(yaml.contexts.find((c) => c.name === 'away')?.token).toBe('tok-123');

    const forced = await world.run(['logout', '--context', 'away', '--force'], { env: byContexts });
    expect(forced.code).toBe(0);
    expect(readConfigOf(world).config.contexts.find((c) => c.name === 'away')?.token).toBe(
      undefined,
    );
  });
});
