import { Settings, type SettingsUpdate } from '@berth/contract';
import type { SettingsRepository } from './settings-repository.js';

export const DEFAULT_SETTINGS: Settings = {
  require2faForAdmins: false,
  auditRetentionDays: 90,
  allowOverContainerLimit: false,
};

/** Instance settings an admin changes at run time, kept in the database. */
export class SettingsService {
  private cache: Settings | null = null;

  constructor(private readonly repository: SettingsRepository) {}

  async get(): Promise<Settings> {
    if (this.cache) return this.cache;
    const stored = await this.repository.all();
    // A stored value that no longer fits the schema falls back to its default.
    const merged = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      const candidate = Settings.shape[key].safeParse(stored[key]);
      if (candidate.success) Object.assign(merged, { [key]: candidate.data });
    }
    this.cache = merged;
    return merged;
  }

  async update(changes: SettingsUpdate): Promise<Settings> {
    await this.repository.set(changes);
    this.cache = null;
    return this.get();
  }
}
