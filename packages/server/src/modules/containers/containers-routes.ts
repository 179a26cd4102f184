import { ContainerList, ContainerListQuery, ErrorBody, HostParams } from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ContainersService } from './containers-service.js';

export function containersRoutes(service: ContainersService): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/api/hosts/:host/containers',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['containers'],
          summary: "The host's containers, from its live engine state",
          description: 'Equivalent: `docker ps --all`',
          params: HostParams,
          querystring: ContainerListQuery,
          response: { 200: ContainerList, 404: ErrorBody },
        },
      },
      (request) => ({ containers: service.list(request.params.host, { all: request.query.all }) }),
    );
    done();
  };
}
