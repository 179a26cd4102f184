import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../config/config.js';
import { openDatabase, type Db } from '../../core/db/database.js';
import { PasswordHasher } from '../../modules/auth/password-hasher.js';
import { UsersRepository } from '../../modules/users/users-repository.js';
import { runOperatorCommand } from '../operator-cli.js';

describe('berth-server operator commands, through the users service', () => {
  let dir: string;
  let config: Config;
  let db: Db | undefined;
  const hasher = new PasswordHasher();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-operator-'));
    // A minimum above the default, so a refusal names the configured policy, not a constant.
    config = loadConfig({ BERTH_DATA_DIR: dir, BERTH_PASSWORD_MIN_LENGTH: '16' });
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[], password: string) {
    const out: string[] = [];
    const err: string[] = [];
    const [command = '', ...rest] = args;
    const code = await runOperatorCommand(config, command, [...rest, '--password-stdin'], {
      readPassword: () => Promise.resolve(password),
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  const database = (): Db => (db ??= openDatabase(config.databaseFile));
  const user = (name: string) => new UsersRepository(database()).findByUsername(name);

  it('creates an admin with the password given, and resets it', async () => {
    expect(await run(['create-admin', 'rescue'], 'rescue password 1234')).toEqual({
      code: 0,
      out: 'Admin rescue created.',
      err: '',
    });
    const created = await user('rescue');
    expect(created).toMatchObject({ role: 'admin', disabled: false, mustChangePassword: false });
    expect(await hasher.verify(created?.passwordHash ?? '', 'rescue password 1234')).toBe(true);

    expect(await run(['reset-password', 'RESCUE'], 'another password 123')).toMatchObject({
      code: 0,
      out: 'Password of rescue reset; 0 session(s) ended.',
    });
    const reset = await user('rescue');
    expect(await hasher.verify(reset?.passwordHash ?? '', 'another password 123')).toBe(true);
    expect(reset?.mustChangePassword).toBe(false);

    const audit = await database()
      .selectFrom('audit_log')
      .select(['username', 'action', 'target', 'outcome'])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { username: 'berth-server', action: 'user.create', target: 'rescue', outcome: 'success' },
      { username: 'berth-server', action: 'password.reset', target: 'rescue', outcome: 'success' },
    ]);
  });

  it("refuses a password under the service's configured minimum, changing nothing", async () => {
    const before = await user('rescue');
    expect(await run(['reset-password', 'rescue'], 'fifteen chars!!')).toEqual({
      code: 1,
      out: '',
      err: 'berth-server: password: must be at least 16 characters',
    });
    expect((await user('rescue'))?.passwordHash).toBe(before?.passwordHash);
    expect(await run(['create-admin', 'shorty'], 'fifteen chars!!')).toMatchObject({
      code: 1,
      err: 'berth-server: password: must be at least 16 characters',
    });
    expect(await user('shorty')).toBeUndefined();
  });

  it('refuses a name taken in another case with the conflict the API answers', async () => {
    expect(await run(['create-admin', 'Rescue'], 'a third password 123')).toEqual({
      code: 1,
      out: '',
      err: 'berth-server: The username "Rescue" is taken',
    });
  });

  it('refuses what the API refuses: a password over 1024 characters, a malformed name', async () => {
    const before = await user('rescue');
    const huge = 'x'.repeat(1025);
    expect(await run(['reset-password', 'rescue'], huge)).toMatchObject({
      code: 1,
      err: 'berth-server: password: at most 1024 characters',
    });
    expect((await user('rescue'))?.passwordHash).toBe(before?.passwordHash);
    expect(await run(['create-admin', 'big'], huge)).toMatchObject({
      code: 1,
      err: 'berth-server: password: at most 1024 characters',
    });
    expect(await run(['create-admin', 'bad/name'], 'a fine password 1234')).toMatchObject({
      code: 1,
      err: 'berth-server: username: letters, digits and . _ @ - only, starting with a letter or digit',
    });
    expect(await user('big')).toBeUndefined();
  });

  it('names a user that does not exist', async () => {
    expect(await run(['reset-password', 'nobody'], 'whatever password 1')).toMatchObject({
      code: 1,
      err: 'berth-server: no user "nobody"',
    });
  });
});
