import { agentsRoutes } from './agents.js';
import { alertsRoutes } from './alerts.js';
import { auditRoutes } from './audit.js';
import { authRoutes, meRoutes, setupRoutes, twoFactorRoutes } from './auth.js';
import {
  attachRoutes,
  containerFilesRoutes,
  execRoutes,
  logsRoutes,
  statsRoutes,
} from './container-io.js';
import { composeConvertRoutes } from './compose-convert.js';
import { containersRoutes } from './containers.js';
import { sessionsRoutes, tokensRoutes } from './credentials.js';
import { eventsRoutes } from './events.js';
import { fleetRoutes } from './fleet.js';
import { healthRoutes } from './health.js';
import { healthHistoryRoutes } from './health-history.js';
import { hostSecurityRoutes } from './host-security.js';
import { hostsRoutes } from './hosts.js';
import { imagesRoutes } from './images.js';
import { logAnalysisRoutes } from './log-analysis.js';
import { metricsRoutes } from './metrics.js';
import { networksRoutes } from './networks.js';
import { notificationsRoutes } from './notifications.js';
import { preferencesRoutes } from './preferences.js';
import { proxyRoutes } from './proxy.js';
import { prometheusRoutes } from './prometheus.js';
import { registriesRoutes } from './registries.js';
import { settingsRoutes } from './settings.js';
import { stacksRoutes } from './stacks.js';
import { systemRoutes } from './system.js';
import { updatesRoutes } from './updates.js';
import { usersRoutes } from './users.js';
import { volumesRoutes } from './volumes.js';
import { nodesRoutes, swarmRoutes, swarmsRoutes } from './swarm.js';
import { swarmStacksRoutes } from './swarm-stacks.js';
import {
  configsRoutes,
  secretsRoutes,
  serviceLogsRoutes,
  servicesRoutes,
  tasksRoutes,
} from './services.js';

/**
 * Every route of the API, by feature. The server registers exactly these (a test compares),
 * OpenAPI documents them, and `createApiClient(api)` is the typed client of the web and the CLI.
 */
export const api = {
  health: healthRoutes,
  hosts: hostsRoutes,
  agents: agentsRoutes,
  fleet: fleetRoutes,
  events: eventsRoutes,
  images: imagesRoutes,
  registries: registriesRoutes,
  updates: updatesRoutes,
  containers: containersRoutes,
  logs: logsRoutes,
  logAnalysis: logAnalysisRoutes,
  stats: statsRoutes,
  metrics: metricsRoutes,
  exec: execRoutes,
  attach: attachRoutes,
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
  networks: networksRoutes,
  volumes: volumesRoutes,
  system: systemRoutes,
  stacks: stacksRoutes,
  composeConvert: composeConvertRoutes,
  healthHistory: healthHistoryRoutes,
  alerts: alertsRoutes,
  notifications: notificationsRoutes,
  prometheus: prometheusRoutes,
  swarm: swarmRoutes,
  swarms: swarmsRoutes,
  nodes: nodesRoutes,
  swarmStacks: swarmStacksRoutes,
  services: servicesRoutes,
  tasks: tasksRoutes,
  serviceLogs: serviceLogsRoutes,
  secrets: secretsRoutes,
  configs: configsRoutes,
  proxy: proxyRoutes,
};
export type Api = typeof api;
