import { randomUUID } from 'node:crypto';
import type { UserCreate, UserUpdate, UserView } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { assertPasswordPolicy } from '../auth/password-policy.js';
import type { Principal } from '../auth/principal.js';
import type { SessionsRepository } from '../auth/sessions-repository.js';
import type { UserRecord, UsersRepository } from './users-repository.js';

export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    hosts: user.hosts,
    hostLabels: user.hostLabels,
    disabled: user.disabled,
    mustChangePassword: user.mustChangePassword,
    totpEnabled: user.totpSecret !== null,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt,
  };
}

export interface UsersServiceDeps {
  users: UsersRepository;
  sessions: SessionsRepository;
  hasher: PasswordHasher;
  /** Ids of the hosts that exist, to validate grants. */
  hostIds: () => Promise<string[]>;
  passwordMinLength: number;
}

/** User administration (admins only). The last enabled admin can never be lost. */
export class UsersService {
  constructor(private readonly deps: UsersServiceDeps) {}

  async list(): Promise<UserView[]> {
    return (await this.deps.users.list()).map(toUserView);
  }

  async get(id: string): Promise<UserView> {
    return toUserView(await this.require(id));
  }

  /** The user of that name, in any case. */
  async findByUsername(username: string): Promise<UserView | undefined> {
    const user = await this.deps.users.findByUsername(username);
    return user ? toUserView(user) : undefined;
  }

  async create(input: UserCreate): Promise<UserView> {
    assertPasswordPolicy(input.password, this.deps.passwordMinLength, 'body.password');
    const hosts = await this.validHosts(input.hosts ?? []);
    if (await this.deps.users.findByUsername(input.username)) {
      throw AppError.conflict('username_taken', `The username "${input.username}" is taken`, {
        issues: [{ field: 'body.username', message: 'is taken' }],
      });
    }
    const id = randomUUID();
    await this.deps.users.create({
      id,
      username: input.username,
      passwordHash: await this.deps.hasher.hash(input.password),
      role: input.role,
      mustChangePassword: input.mustChangePassword ?? false,
      hosts,
      hostLabels: distinct(input.hostLabels ?? []),
    });
    return this.get(id);
  }

  async update(actor: Principal, id: string, input: UserUpdate): Promise<UserView> {
    const user = await this.require(id);
    if (input.password !== undefined)
      assertPasswordPolicy(input.password, this.deps.passwordMinLength, 'body.password');
    const hosts = input.hosts === undefined ? undefined : await this.validHosts(input.hosts);
    const losesAdmin =
      user.role === 'admin' &&
      !user.disabled &&
      ((input.role !== undefined && input.role !== 'admin') || input.disabled === true);
    if (losesAdmin) await this.assertAnotherAdmin();
    if (input.disabled === true && user.id === actor.user.id) {
      throw AppError.conflict('cannot_disable_self', 'You cannot disable your own account');
    }
    const passwordReset = input.password !== undefined;
    await this.deps.users.update(
      id,
      {
        role: input.role,
        disabled: input.disabled,
        passwordHash: passwordReset ? await this.deps.hasher.hash(input.password ?? '') : undefined,
        // A reset password is a temporary one: the user picks their own at next login.
        mustChangePassword: passwordReset
          ? (input.mustChangePassword ?? true)
          : input.mustChangePassword,
        hostLabels: input.hostLabels && distinct(input.hostLabels),
      },
      hosts,
    );
    if (passwordReset || input.disabled === true) await this.deps.sessions.deleteAllForUser(id);
    return this.get(id);
  }

  /**
   * A password set by someone else than the user (the operator on the machine): the policy
   * applies and every session of the user ends. Answers how many sessions that was.
   */
  async resetPassword(
    id: string,
    password: string,
    options: { mustChangePassword: boolean },
  ): Promise<{ user: UserView; sessionsEnded: number }> {
    assertPasswordPolicy(password, this.deps.passwordMinLength, 'password');
    await this.require(id);
    await this.deps.users.update(id, {
      passwordHash: await this.deps.hasher.hash(password),
      mustChangePassword: options.mustChangePassword,
    });
    const sessionsEnded = await this.deps.sessions.deleteAllForUser(id);
    return { user: await this.get(id), sessionsEnded };
  }

  async delete(actor: Principal, id: string): Promise<void> {
    const user = await this.require(id);
    if (user.id === actor.user.id)
      throw AppError.conflict('cannot_delete_self', 'You cannot delete your own account');
    if (user.role === 'admin' && !user.disabled) await this.assertAnotherAdmin();
    await this.deps.users.delete(id);
  }

  private async require(id: string): Promise<UserRecord> {
    const user = await this.deps.users.findById(id);
    if (!user) throw AppError.notFound('user_not_found', `No user "${id}"`);
    return user;
  }

  private async assertAnotherAdmin(): Promise<void> {
    if ((await this.deps.users.countAdmins({ enabledOnly: true })) <= 1) {
      throw AppError.conflict(
        'last_admin',
        'This is the last enabled admin: make another admin first',
      );
    }
  }

  private async validHosts(hosts: string[]): Promise<string[]> {
    const known = new Set(await this.deps.hostIds());
    const unknown = hosts.filter((h) => !known.has(h));
    if (unknown.length > 0) {
      throw AppError.badRequest(
        'validation_failed',
        `Invalid request: body.hosts: unknown host ${unknown.join(', ')}`,
        {
          issues: [{ field: 'body.hosts', message: `unknown host ${unknown.join(', ')}` }],
        },
      );
    }
    return [...new Set(hosts)].sort();
  }
}

/** Labels need not be on a host yet: a host labelled later is granted at once. */
function distinct(labels: string[]): string[] {
  return [...new Set(labels)].sort();
}
