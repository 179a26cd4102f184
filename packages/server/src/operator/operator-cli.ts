import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Username } from '@berth/contract';
import type { Config } from '../config/config.js';
import { migrateToLatest, openDatabase, type Db } from '../core/db/database.js';
import { AppError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { AuditRepository } from '../modules/audit/audit-repository.js';
import { AuditService, type AuditActor } from '../modules/audit/audit-service.js';
import { PasswordHasher } from '../modules/auth/password-hasher.js';
import { assertPasswordPolicy } from '../modules/auth/password-policy.js';
import { SessionsRepository } from '../modules/auth/sessions-repository.js';
import { UsersRepository } from '../modules/users/users-repository.js';
import { readNewPassword } from './read-password.js';

const USAGE = `Usage: berth-server [serve]                                 run the server
       berth-server reset-password <username> [--password-stdin]
       berth-server create-admin <username> [--password-stdin]

The operator commands work on the data directory (BERTH_DATA_DIR) directly, with the server
stopped or running. The password is asked for on the terminal, or read from standard input.`;

const CLI_ACTOR: AuditActor = {
  userId: null,
  username: 'berth-server',
  tokenId: null,
  ip: null,
  userAgent: 'berth-server operator command',
};

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs one operator command; returns the exit code. */
export async function runOperatorCommand(
  config: Config,
  command: string,
  args: string[],
): Promise<number> {
  if (command === 'help' || command === '--help' || command === '-h') {
    say(USAGE);
    return 0;
  }
  if (command !== 'reset-password' && command !== 'create-admin') {
    process.stderr.write(`berth-server: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'password-stdin': { type: 'boolean' } },
  });
  const [username] = positionals;
  if (!username || positionals.length > 1) {
    process.stderr.write(`berth-server: ${command} takes exactly one username\n${USAGE}\n`);
    return 2;
  }

  const db = openDatabase(config.databaseFile);
  try {
    await migrateToLatest(db);
    const password = await readNewPassword(values['password-stdin'] === true);
    assertPasswordPolicy(password, config.security.passwordMinLength, 'password');
    return command === 'reset-password'
      ? await resetPassword(db, username, password)
      : await createAdmin(db, username, password);
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`berth-server: ${err.message.replace(/^Invalid request: /, '')}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

async function resetPassword(db: Db, username: string, password: string): Promise<number> {
  const users = new UsersRepository(db);
  const audit = new AuditService(new AuditRepository(db), createLogger('silent'));
  const user = await users.findByUsername(username);
  if (!user) {
    process.stderr.write(`berth-server: no user "${username}"\n`);
    return 1;
  }
  await users.update(user.id, {
    passwordHash: await new PasswordHasher().hash(password),
    mustChangePassword: false,
  });
  const ended = await new SessionsRepository(db).deleteAllForUser(user.id);
  await audit.record({
    actor: CLI_ACTOR,
    action: 'password.reset',
    target: user.username,
    outcome: 'success',
    details: { sessionsEnded: ended, via: 'operator command' },
  });
  say(`Password of ${user.username} reset; ${ended} session(s) ended.`);
  return 0;
}

async function createAdmin(db: Db, username: string, password: string): Promise<number> {
  const parsed = Username.safeParse(username);
  if (!parsed.success) {
    process.stderr.write(
      `berth-server: username ${parsed.error.issues[0]?.message ?? 'is invalid'}\n`,
    );
    return 1;
  }
  const users = new UsersRepository(db);
  if (await users.findByUsername(username)) {
    process.stderr.write(`berth-server: the username "${username}" is taken\n`);
    return 1;
  }
  const id = randomUUID();
  await users.create({
    id,
    username,
    passwordHash: await new PasswordHasher().hash(password),
    role: 'admin',
    mustChangePassword: false,
    hosts: [],
  });
  await new AuditService(new AuditRepository(db), createLogger('silent')).record({
    actor: CLI_ACTOR,
    action: 'user.create',
    target: username,
    outcome: 'success',
    details: { id, role: 'admin', via: 'operator command' },
  });
  say(`Admin ${username} created.`);
  return 0;
}
