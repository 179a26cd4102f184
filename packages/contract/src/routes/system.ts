import { ErrorBody } from '../errors.js';
import { HostParams } from '../hosts.js';
import { httpRoute } from '../route.js';
import {
  DiskUsage,
  EngineVersion,
  RecentEvents,
  RecentEventsQuery,
  StreamsReport,
  SystemPruneRequest,
  SystemPruneResult,
} from '../system.js';

const base = '/api/hosts/:host/system';
const tags = ['system'];

/** The engine's version, disk usage, recent events and prune; the server's shared streams. */
export const systemRoutes = {
  streams: httpRoute({
    method: 'GET',
    path: '/api/system/streams',
    tags,
    summary: 'Shared live streams: engine upstreams and the viewers they feed',
    permission: 'admin',
    responses: { 200: StreamsReport },
  }),
  version: httpRoute({
    method: 'GET',
    path: `${base}/version`,
    tags,
    summary: 'Engine version',
    description: 'Equivalent: `docker version`',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: EngineVersion, 404: ErrorBody },
  }),
  df: httpRoute({
    method: 'GET',
    path: `${base}/df`,
    tags,
    summary: 'Disk usage (computed by the engine now: slow on big hosts)',
    description: 'Equivalent: `docker system df`',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: DiskUsage, 404: ErrorBody },
  }),
  events: httpRoute({
    method: 'GET',
    path: `${base}/events`,
    tags,
    summary: 'The last engine events (newest first), from memory',
    permission: 'host:read',
    params: HostParams,
    query: RecentEventsQuery,
    responses: { 200: RecentEvents, 404: ErrorBody },
  }),
  prune: httpRoute({
    method: 'POST',
    path: `${base}/prune`,
    tags,
    summary:
      'Stopped containers, unused networks, dangling images (and more if asked); dryRun (the default) lists them',
    description: 'Equivalent: `docker system prune`',
    permission: 'admin',
    audit: 'system.prune',
    params: HostParams,
    body: SystemPruneRequest,
    responses: { 200: SystemPruneResult, 400: ErrorBody, 404: ErrorBody },
  }),
};
