import type { Generated } from 'kysely';

/** Engine hosts Berth manages. `local` is registered from DOCKER_HOST at every start. */
export interface HostsTable {
  id: string;
  name: string;
  transport: string;
  endpoint: string;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

/** Instance-wide settings, one JSON value per key. */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Generated<string>;
}

export interface Database {
  hosts: HostsTable;
  settings: SettingsTable;
}
