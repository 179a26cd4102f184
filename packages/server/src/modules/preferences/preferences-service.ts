import { Preferences, type PreferencesUpdate } from '@berth/contract';
import type { PreferencesRepository } from './preferences-repository.js';

/**
 * What a user chose for the UI. Stored per user, so a shared browser shows each user their own
 * and a user finds theirs on every browser. What was stored is read through the schema: a key
 * from an older version is dropped, a missing one takes its default.
 */
export class PreferencesService {
  constructor(private readonly repository: PreferencesRepository) {}

  async get(userId: string): Promise<Preferences> {
    const stored = await this.repository.get(userId);
    const parsed = Preferences.safeParse(stored === undefined ? {} : JSON.parse(stored));
    return parsed.success ? parsed.data : Preferences.parse({});
  }

  async update(userId: string, changes: PreferencesUpdate): Promise<Preferences> {
    const next = Preferences.parse({ ...(await this.get(userId)), ...changes });
    await this.repository.put(userId, JSON.stringify(next), new Date());
    return next;
  }
}
