import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ContainerStreamsService } from '../containers/container-streams.js';

const StreamTotals = z.object({
  upstreams: z.number().int().describe('Engine streams open now'),
  viewers: z.number().int().describe('WebSocket viewers fed by them'),
  started: z.number().int().describe('Engine streams opened since start'),
});

/** What the server holds open: one engine stream per watched container, however many watch. */
export function systemRoutes(streams: ContainerStreamsService): FastifyPluginCallbackZod {
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
    done();
  };
}
