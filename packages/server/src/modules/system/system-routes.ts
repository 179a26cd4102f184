import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  DiskUsage,
  EngineVersion,
  ErrorBody,
  HostParams,
  RecentEvents,
  RecentEventsQuery,
  StreamsReport,
  SystemPruneRequest,
  SystemPruneResult,
} from '@berth/contract';
import { auditInfo } from '../../http/route-permissions.js';
import type { ContainerStreamsService } from '../containers/container-streams.js';
import type { SystemService } from './system-service.js';

export function systemRoutes(
  streams: ContainerStreamsService,
  system: SystemService,
): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/api/system/streams',
      {
        config: { permission: 'admin' },
        schema: {
          tags: ['system'],
          summary: 'Shared live streams: engine upstreams and the viewers they feed',
          response: { 200: StreamsReport },
        },
      },
      () => {
        const memory = process.memoryUsage();
        return {
          logs: streams.logs.totals(),
          stats: streams.stats.totals(),
          memoryRssBytes: memory.rss,
          memoryHeapUsedBytes: memory.heapUsed,
        };
      },
    );

    const base = '/api/hosts/:host/system';
    app.get(
      `${base}/version`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['system'],
          summary: 'Engine version',
          description: 'Equivalent: `docker version`',
          params: HostParams,
          response: { 200: EngineVersion, 404: ErrorBody },
        },
      },
      (request) => system.version(request.params.host),
    );
    app.get(
      `${base}/df`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['system'],
          summary: 'Disk usage (computed by the engine now: slow on big hosts)',
          description: 'Equivalent: `docker system df`',
          params: HostParams,
          response: { 200: DiskUsage, 404: ErrorBody },
        },
      },
      (request) => system.diskUsage(request.params.host),
    );
    app.get(
      `${base}/events`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['system'],
          summary: 'The last engine events (newest first), from memory',
          params: HostParams,
          querystring: RecentEventsQuery,
          response: { 200: RecentEvents, 404: ErrorBody },
        },
      },
      (request) => system.events(request.params.host, request.query.limit),
    );
    app.post(
      `${base}/prune`,
      {
        config: { permission: 'admin', audit: 'system.prune' },
        schema: {
          tags: ['system'],
          summary:
            'Stopped containers, unused networks, dangling images (and more if asked); dryRun (the default) lists them',
          description: 'Equivalent: `docker system prune`',
          params: HostParams,
          body: SystemPruneRequest,
          response: { 200: SystemPruneResult, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const result = await system.prune(request.params.host, request.body);
        auditInfo(request).details = {
          dryRun: result.dryRun,
          containers: result.containers.removed.length,
          images: result.images.removed.length,
          networks: result.networks.removed.length,
          volumes: result.volumes?.removed.length ?? 0,
        };
        return result;
      },
    );
    done();
  };
}
