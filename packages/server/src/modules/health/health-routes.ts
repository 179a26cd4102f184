import { Health } from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { HealthService } from './health-service.js';

export function healthRoutes(service: HealthService): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/api/health',
      {
        config: { permission: 'public', beforeSetup: true },
        schema: {
          tags: ['system'],
          summary: 'Server, database and engine status; 200 whenever the server is up',
          response: { 200: Health },
        },
      },
      () => service.health(),
    );
    done();
  };
}
