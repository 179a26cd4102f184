import { containerFilesRoutes, execRoutes, logsRoutes, statsRoutes } from './container-io.js';
import { containersRoutes } from './containers.js';
import { auditRoutes } from './audit.js';
import { authRoutes, meRoutes, setupRoutes, twoFactorRoutes } from './auth.js';
import { sessionsRoutes, tokensRoutes } from './credentials.js';
import { eventsRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { hostSecurityRoutes } from './host-security.js';
import { hostsRoutes } from './hosts.js';
import { imagesRoutes } from './images.js';
import { registriesRoutes } from './registries.js';
import { updatesRoutes } from './updates.js';
import { preferencesRoutes } from './preferences.js';
import { settingsRoutes } from './settings.js';
import { usersRoutes } from './users.js';

/**
 * Every route of the API, by feature. The server registers exactly these (a test compares),
 * OpenAPI documents them, and `createApiClient(api)` is the typed client of the web and the CLI.
 */
export const api = {
  health: healthRoutes,
  hosts: hostsRoutes,
  events: eventsRoutes,
  images: imagesRoutes,
  registries: registriesRoutes,
  updates: updatesRoutes,
  containers: containersRoutes,
  logs: logsRoutes,
  stats: statsRoutes,
  exec: execRoutes,
  containerFiles: containerFilesRoutes,
  setup: setupRoutes,
  auth: authRoutes,
  me: meRoutes,
  sessions: sessionsRoutes,
  tokens: tokensRoutes,
  twoFactor: twoFactorRoutes,
  preferences: preferencesRoutes,
  users: usersRoutes,
  settings: settingsRoutes,
  audit: auditRoutes,
  hostSecurity: hostSecurityRoutes,
};
export type Api = typeof api;
