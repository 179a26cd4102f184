import {
  ContainerActionResult,
  ContainerCreated,
  ContainerParams,
  ContainerRecreate,
  DuplicateBody,
  ErrorBody,
  KillQuery,
  RenameBody,
  StopQuery,
} from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { ContainerActions } from './container-actions.js';
import type { ContainerCreateService } from './container-create-service.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const NoQuery = z.strictObject({});

/** POST /api/hosts/:host/containers/:id/<action>: lifecycle, rename, recreate, duplicate. */
export function containerActionsRoutes(
  actions: ContainerActions,
  creator: ContainerCreateService,
): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    const simple = [
      ['start', NoQuery, 'Start', 'docker start'],
      ['stop', StopQuery, 'Stop (SIGTERM, then SIGKILL after the timeout)', 'docker stop'],
      ['restart', StopQuery, 'Restart', 'docker restart'],
      ['kill', KillQuery, 'Send a signal (default SIGKILL)', 'docker kill'],
      ['pause', NoQuery, 'Freeze all processes', 'docker pause'],
      ['unpause', NoQuery, 'Resume frozen processes', 'docker unpause'],
    ] as const;
    for (const [action, query, summary, equivalent] of simple) {
      app.post(
        `/api/hosts/:host/containers/:id/${action}`,
        {
          config: { permission: 'host:write', audit: `container.${action}` },
          schema: {
            tags: ['containers'],
            summary,
            description: `Equivalent: \`${equivalent}\``,
            params: ContainerParams,
            querystring: query,
            response: { 200: ContainerActionResult, ...errors },
          },
        },
        (request) => {
          const q = request.query as { timeout?: number; signal?: string };
          return actions.act(request.params.host, request.params.id, action, {
            timeoutS: q.timeout,
            signal: q.signal,
          });
        },
      );
    }

    app.post(
      '/api/hosts/:host/containers/:id/rename',
      {
        config: { permission: 'host:write', audit: 'container.rename' },
        schema: {
          tags: ['containers'],
          summary: 'Rename',
          description: 'Equivalent: `docker rename`',
          params: ContainerParams,
          body: RenameBody,
          response: { 200: ContainerActionResult, ...errors },
        },
      },
      (request) => {
        auditInfo(request).details = request.body;
        return actions.rename(request.params.host, request.params.id, request.body.name);
      },
    );

    app.post(
      '/api/hosts/:host/containers/:id/recreate',
      {
        config: { permission: 'host:write', audit: 'container.recreate' },
        schema: {
          tags: ['containers'],
          summary:
            'Edit: recreate with changed options; the old container is restored if the new one fails',
          params: ContainerParams,
          body: ContainerRecreate,
          response: { 200: ContainerCreated, ...errors, 403: ErrorBody, 422: ErrorBody },
        },
      },
      async (request) => {
        const changed = Object.keys(request.body).filter(
          (k) => k !== 'validateSeconds' && k !== 'replace',
        );
        auditInfo(request).details = { changed };
        const result = await creator.recreate(
          requirePrincipal(request).role,
          request.params.host,
          request.params.id,
          request.body,
        );
        auditInfo(request).details = { changed, newId: result.container.id };
        return result;
      },
    );

    app.post(
      '/api/hosts/:host/containers/:id/duplicate',
      {
        config: { permission: 'host:write', audit: 'container.duplicate' },
        schema: {
          tags: ['containers'],
          summary: 'Create a copy under a new name (host ports and fixed IPs left to the engine)',
          params: ContainerParams,
          body: DuplicateBody,
          response: { 201: ContainerCreated, ...errors, 403: ErrorBody },
        },
      },
      async (request, reply) => {
        const created = await creator.duplicate(
          requirePrincipal(request).role,
          request.params.host,
          request.params.id,
          request.body.name,
          request.body.start,
        );
        auditInfo(request).details = { newId: created.container.id, name: request.body.name };
        return reply.status(201).send(created);
      },
    );
    done();
  };
}
