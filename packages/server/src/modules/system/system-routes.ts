import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, HostParams, PruneResult } from '@berth/contract';
import { auditInfo } from '../../http/route-permissions.js';
import type { ContainerStreamsService } from '../containers/container-streams.js';
import type { SystemService } from './system-service.js';

const StreamTotals = z.object({
  upstreams: z.number().int().describe('Engine streams open now'),
  viewers: z.number().int().describe('WebSocket viewers fed by them'),
  started: z.number().int().describe('Engine streams opened since start'),
});

/** What the server holds open: one engine stream per watched container, however many watch. */
const SystemPruneRequest = z.strictObject({
  dryRun: z.boolean().default(true),
  allImages: z.boolean().default(false).describe('Unused images too, not only dangling ones'),
  volumes: z.boolean().default(false).describe('Unused volumes too'),
});

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
          response: {
            200: z.object({
              logs: StreamTotals,
              stats: StreamTotals,
              memoryRssBytes: z.number().int(),
            }),
          },
        },
      },
      () => ({
        logs: streams.logs.totals(),
        stats: streams.stats.totals(),
        memoryRssBytes: process.memoryUsage().rss,
      }),
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
          response: { 200: z.record(z.string(), z.unknown()), 404: ErrorBody },
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
          response: {
            200: z.object({
              images: z.object({
                count: z.number(),
                sizeBytes: z.number(),
                reclaimableBytes: z.number(),
              }),
              containers: z.object({ count: z.number(), sizeBytes: z.number() }),
              volumes: z.object({
                count: z.number(),
                sizeBytes: z.number(),
                reclaimableBytes: z.number(),
              }),
              buildCacheBytes: z.number(),
            }),
            404: ErrorBody,
          },
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
          querystring: z.strictObject({
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: {
            200: z.object({
              events: z.array(
                z.object({
                  time: z.string(),
                  type: z.string(),
                  action: z.string(),
                  id: z.string(),
                  name: z.string().nullable(),
                }),
              ),
            }),
            404: ErrorBody,
          },
        },
      },
      (request) => ({ events: system.events(request.params.host, request.query.limit) }),
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
          response: {
            200: z.object({
              dryRun: z.boolean(),
              containers: PruneResult,
              networks: PruneResult,
              images: PruneResult,
              volumes: PruneResult.nullable(),
              cli: z.string(),
            }),
            400: ErrorBody,
            404: ErrorBody,
          },
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
