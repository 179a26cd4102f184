import type { Role } from '@berth/contract';
import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { UsersTable } from '../../core/db/schema.js';

export type UserRow = Selectable<UsersTable>;

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpLastStep: number | null;
  createdAt: string;
  lastLoginAt: string | null;
  hosts: string[];
  /** Host labels granted: every host carrying one of them, whenever it got it. */
  hostLabels: string[];
}

function toRecord(row: UserRow, hosts: string[]): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role as Role,
    disabled: row.disabled === 1,
    mustChangePassword: row.must_change_password === 1,
    totpSecret: row.totp_secret,
    totpPendingSecret: row.totp_pending_secret,
    totpLastStep: row.totp_last_step,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at ?? null,
    hosts,
    hostLabels: JSON.parse(row.host_labels) as string[],
  };
}

export interface NewUser {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  mustChangePassword: boolean;
  hosts: string[];
  hostLabels: string[];
}

export interface UserChanges {
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
  totpSecret?: string | null;
  totpPendingSecret?: string | null;
  totpLastStep?: number | null;
  hostLabels?: string[];
}

/** Users, their host grants and their recovery codes. */
export class UsersRepository {
  constructor(private readonly db: Db) {}

  async countAdmins(options: { enabledOnly: boolean }): Promise<number> {
    let query = this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin');
    if (options.enabledOnly) query = query.where('disabled', '=', 0);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row, await this.hostsOf(row.id)) : undefined;
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username_key', '=', username.toLowerCase())
      .executeTakeFirst();
    return row ? toRecord(row, await this.hostsOf(row.id)) : undefined;
  }

  async list(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('username_key').execute();
    const grants = await this.db.selectFrom('user_hosts').selectAll().orderBy('host_id').execute();
    return rows.map((row) =>
      toRecord(
        row,
        grants.filter((g) => g.user_id === row.id).map((g) => g.host_id),
      ),
    );
  }

  /** Inserts the user and grants in one transaction: nothing is half-written. */
  async create(user: NewUser): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({
          id: user.id,
          username: user.username,
          username_key: user.username.toLowerCase(),
          password_hash: user.passwordHash,
          role: user.role,
          must_change_password: user.mustChangePassword ? 1 : 0,
          host_labels: JSON.stringify(user.hostLabels),
        })
        .execute();
      if (user.hosts.length > 0) {
        await trx
          .insertInto('user_hosts')
          .values(user.hosts.map((host) => ({ user_id: user.id, host_id: host })))
          .execute();
      }
    });
  }

  async update(id: string, changes: UserChanges, hosts?: string[]): Promise<void> {
    const values: Updateable<UsersTable> = { updated_at: new Date().toISOString() };
    if (changes.role !== undefined) values.role = changes.role;
    if (changes.disabled !== undefined) values.disabled = changes.disabled ? 1 : 0;
    if (changes.passwordHash !== undefined) values.password_hash = changes.passwordHash;
    if (changes.mustChangePassword !== undefined) {
      values.must_change_password = changes.mustChangePassword ? 1 : 0;
    }
    if (changes.totpSecret !== undefined) values.totp_secret = changes.totpSecret;
    if (changes.totpPendingSecret !== undefined)
      values.totp_pending_secret = changes.totpPendingSecret;
    if (changes.totpLastStep !== undefined) values.totp_last_step = changes.totpLastStep;
    if (changes.hostLabels !== undefined) values.host_labels = JSON.stringify(changes.hostLabels);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set(values).where('id', '=', id).execute();
      if (hosts !== undefined) {
        await trx.deleteFrom('user_hosts').where('user_id', '=', id).execute();
        if (hosts.length > 0) {
          await trx
            .insertInto('user_hosts')
            .values(hosts.map((host) => ({ user_id: id, host_id: host })))
            .execute();
        }
      }
    });
  }

  /** Records a TOTP step only if it is newer than the last one: a code works once. */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recordLogin(id: string, at: string): Promise<void> {
    await this.db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }

  async replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      if (codeHashes.length > 0) {
        await trx
          .insertInto('recovery_codes')
          .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash })))
          .execute();
      }
    });
  }

  /** Marks an unused recovery code used; false when there is no such unused code. */
  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('recovery_codes')
      .set({ used_at: new Date().toISOString() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async unusedRecoveryCodes(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private async hostsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('user_hosts')
      .select('host_id')
      .where('user_id', '=', userId)
      .orderBy('host_id')
      .execute();
    return rows.map((r) => r.host_id);
  }
}
