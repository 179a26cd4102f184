import { parseArgs } from 'node:util';
import { UserCreate, UserUpdate } from '@berth/contract';
import type { ZodError } from 'zod';
import type { Config } from '../config/config.js';
import { migrateToLatest, openDatabase, type Db } from '../core/db/database.js';
import { AppError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { AuditRepository } from '../modules/audit/audit-repository.js';
import { AuditService, type AuditActor } from '../modules/audit/audit-service.js';
import { PasswordHasher } from '../modules/auth/password-hasher.js';
import { SessionsRepository } from '../modules/auth/sessions-repository.js';
import { HostsRepository } from '../modules/hosts/hosts-repository.js';
import { UsersRepository } from '../modules/users/users-repository.js';
import { UsersService } from '../modules/users/users-service.js';
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

/** Where an operator command reads its password and writes its lines (a terminal, or a test). */
export interface OperatorIo {
  readPassword: (fromStdin: boolean) => Promise<string>;
  out: (line: string) => void;
  err: (line: string) => void;
}

const PROCESS_IO: OperatorIo = {
  readPassword: readNewPassword,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The same rules as the API: its users service, over the same database. */
function usersService(db: Db, config: Config): UsersService {
  const hosts = new HostsRepository(db);
  return new UsersService({
    users: new UsersRepository(db),
    sessions: new SessionsRepository(db),
    hasher: new PasswordHasher(),
    hostIds: async () => (await hosts.list()).map((h) => h.id),
    passwordMinLength: config.security.passwordMinLength,
  });
}

function audited(db: Db): AuditService {
  return new AuditService(new AuditRepository(db), createLogger('silent'));
}

/** The message without the API's framing: `password: …`, not `Invalid request: body.password: …`. */
function problems(err: AppError | ZodError): string {
  if (err instanceof AppError) return err.message.replace(/^Invalid request: (body\.)?/, '');
  return err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

/** Runs one operator command; returns the exit code. */
export async function runOperatorCommand(
  config: Config,
  command: string,
  args: string[],
  io: OperatorIo = PROCESS_IO,
): Promise<number> {
  if (command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return 0;
  }
  if (command !== 'reset-password' && command !== 'create-admin') {
    io.err(`berth-server: unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'password-stdin': { type: 'boolean' } },
  });
  const [username] = positionals;
  if (!username || positionals.length > 1) {
    io.err(`berth-server: ${command} takes exactly one username\n${USAGE}`);
    return 2;
  }

  const db = openDatabase(config.databaseFile);
  try {
    await migrateToLatest(db);
    const password = await io.readPassword(values['password-stdin'] === true);
    const users = usersService(db, config);
    return command === 'reset-password'
      ? await resetPassword(db, users, io, username, password)
      : await createAdmin(db, users, io, username, password);
  } catch (err) {
    if (err instanceof AppError) {
      io.err(`berth-server: ${problems(err)}`);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

async function resetPassword(
  db: Db,
  users: UsersService,
  io: OperatorIo,
  username: string,
  password: string,
): Promise<number> {
  const input = UserUpdate.safeParse({ password });
  if (!input.success) {
    io.err(`berth-server: ${problems(input.error)}`);
    return 1;
  }
  const user = await users.findByUsername(username);
  if (!user) {
    io.err(`berth-server: no user "${username}"`);
    return 1;
  }
  // The operator chose this password and knows it: no change forced at next login.
  const { sessionsEnded } = await users.resetPassword(user.id, password, {
    mustChangePassword: false,
  });
  await audited(db).record({
    actor: CLI_ACTOR,
    action: 'password.reset',
    target: user.username,
    outcome: 'success',
    details: { sessionsEnded, via: 'operator command' },
  });
  io.out(`Password of ${user.username} reset; ${sessionsEnded} session(s) ended.`);
  return 0;
}

async function createAdmin(
  db: Db,
  users: UsersService,
  io: OperatorIo,
  username: string,
  password: string,
): Promise<number> {
  const input = UserCreate.safeParse({
    username,
    password,
    role: 'admin',
    mustChangePassword: false,
  });
  if (!input.success) {
    io.err(`berth-server: ${problems(input.error)}`);
    return 1;
  }
  const user = await users.create(input.data);
  await audited(db).record({
    actor: CLI_ACTOR,
    action: 'user.create',
    target: user.username,
    outcome: 'success',
    details: { id: user.id, role: user.role, via: 'operator command' },
  });
  io.out(`Admin ${user.username} created.`);
  return 0;
}
