import type { Db } from '../../core/db/database.js';

/** Each user's preferences, as the JSON text the service wrote. */
export class PreferencesRepository {
  constructor(private readonly db: Db) {}

  async get(userId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('user_preferences')
      .select('preferences')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.preferences;
  }

  async put(userId: string, preferences: string, now: Date): Promise<void> {
    const updated_at = now.toISOString();
    await this.db
      .insertInto('user_preferences')
      .values({ user_id: userId, preferences, updated_at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ preferences, updated_at }))
      .execute();
  }
}
