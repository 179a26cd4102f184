import { containerFilesRoutes, execRoutes, logsRoutes, statsRoutes } from './container-io.js';
import { containersRoutes } from './containers.js';
import { eventsRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { hostsRoutes } from './hosts.js';
import { imagesRoutes } from './images.js';
import { registriesRoutes } from './registries.js';
import { updatesRoutes } from './updates.js';

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
};
export type Api = typeof api;
