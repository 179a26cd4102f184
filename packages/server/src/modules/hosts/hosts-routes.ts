import { ErrorBody, HostInfo, HostList, HostParams } from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { canSeeHost } from '../auth/principal.js';
import type { HostsService } from './hosts-service.js';

export function hostsRoutes(service: HostsService): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/api/hosts',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['hosts'],
          summary: 'The engine hosts and whether each is reachable',
          response: { 200: HostList },
        },
      },
      (request) => ({
        hosts: service.list(
          (host) => request.principal !== null && canSeeHost(request.principal, host),
        ),
      }),
    );

    app.get(
      '/api/hosts/:host/info',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['hosts'],
          summary: "The engine's summary and the host's hardware profile",
          description: 'Equivalent: `docker info`',
          params: HostParams,
          response: { 200: HostInfo, 404: ErrorBody, 503: ErrorBody },
        },
      },
      (request) => service.info(request.params.host),
    );
    done();
  };
}
