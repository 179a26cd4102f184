import { eventsRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { hostsRoutes } from './hosts.js';
import { networksRoutes } from './networks.js';
import { systemRoutes } from './system.js';
import { volumesRoutes } from './volumes.js';

/**
 * Every route of the API, by feature. The server registers exactly these (a test compares),
 * OpenAPI documents them, and `createApiClient(api)` is the typed client of the web and the CLI.
 */
export const api = {
  health: healthRoutes,
  hosts: hostsRoutes,
  events: eventsRoutes,
  networks: networksRoutes,
  volumes: volumesRoutes,
  system: systemRoutes,
};
export type Api = typeof api;
