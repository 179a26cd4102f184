import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { ApiTokensTable } from '../../core/db/schema.js';

export type TokenRow = Selectable<ApiTokensTable>;

/** API tokens, stored by the hash of their secret. */
export class TokensRepository {
  constructor(private readonly db: Db) {}

  async create(row: Omit<TokenRow, 'created_at' | 'last_used_at'>): Promise<TokenRow> {
    await this.db.insertInto('api_tokens').values(row).execute();
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
  }

  findByTokenHash(tokenHash: string): Promise<TokenRow | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  listForUser(userId: string): Promise<TokenRow[]> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .execute();
  }

  async deleteForUser(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('api_tokens')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
