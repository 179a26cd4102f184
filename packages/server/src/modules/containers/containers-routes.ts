import {
  BulkAction,
  BulkResult,
  ContainerActionResult,
  ContainerCreate,
  ContainerCreated,
  ContainerDetail,
  ContainerList,
  ContainerListQuery,
  ContainerParams,
  ContainerPreview,
  ContainerSpec,
  ContainerUpdate,
  EnvironmentBody,
  ErrorBody,
  FileChanges,
  HostParams,
  PreviewQuery,
  ProcessList,
  RemoveQuery,
} from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { ContainerActions } from './container-actions.js';
import type { ContainerCreateService } from './container-create-service.js';
import type { ContainersService } from './containers-service.js';

export interface ContainersRoutesDeps {
  containers: ContainersService;
  actions: ContainerActions;
  creator: ContainerCreateService;
}

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Containers: list, create, inspect, update, remove, tags, processes, changes, bulk. */
export function containersRoutes(deps: ContainersRoutesDeps): FastifyPluginCallbackZod {
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
      (request) => deps.containers.list(request.params.host, request.query),
    );

    app.post(
      '/api/hosts/:host/containers',
      {
        config: { permission: 'host:write', audit: 'container.create' },
        schema: {
          tags: ['containers'],
          summary: 'Create (and by default start and validate) a container',
          description: 'Equivalent: `docker run --detach …` (the answer carries the exact command)',
          params: HostParams,
          body: ContainerCreate,
          response: { 201: ContainerCreated, ...errors, 403: ErrorBody },
        },
      },
      async (request, reply) => {
        auditInfo(request).target =
          `${request.params.host}/${request.body.name ?? request.body.image}`;
        const created = await deps.creator.create(
          requirePrincipal(request).role,
          request.params.host,
          request.body,
        );
        auditInfo(request).details = {
          id: created.container.id,
          image: created.container.image,
          validation: created.validation?.ok ?? null,
        };
        return reply.status(201).send(created);
      },
    );

    app.post(
      '/api/hosts/:host/containers/cli',
      {
        // Computes an answer, changes nothing: no audit entry.
        config: { permission: 'host:read', noAudit: true },
        schema: {
          tags: ['containers'],
          summary:
            'The `docker run` a create body amounts to, and the port or name conflicts it would meet (for forms, as you type)',
          params: HostParams,
          querystring: PreviewQuery,
          body: ContainerSpec,
          response: { 200: ContainerPreview, 400: ErrorBody, 404: ErrorBody },
        },
      },
      (request) => deps.creator.preview(request.params.host, request.body, request.query.except),
    );

    app.get(
      '/api/hosts/:host/containers/:id',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['containers'],
          summary: 'Everything about one container, and the docker run that recreates it',
          description: 'Equivalent: `docker inspect`. Viewers see environment values masked.',
          params: ContainerParams,
          response: { 200: ContainerDetail, 404: ErrorBody },
        },
      },
      (request) =>
        deps.containers.detail(request.params.host, request.params.id, {
          maskSecrets: requirePrincipal(request).role === 'viewer',
        }),
    );

    app.patch(
      '/api/hosts/:host/containers/:id',
      {
        config: { permission: 'host:write', audit: 'container.update' },
        schema: {
          tags: ['containers'],
          summary: 'Change memory, CPU, PIDs limits and restart policy of a live container',
          description: 'Equivalent: `docker update`',
          params: ContainerParams,
          body: ContainerUpdate,
          response: { 200: ContainerActionResult, ...errors },
        },
      },
      (request) => {
        auditInfo(request).details = request.body;
        return deps.actions.update(request.params.host, request.params.id, request.body);
      },
    );

    app.delete(
      '/api/hosts/:host/containers/:id',
      {
        config: { permission: 'host:write', audit: 'container.remove' },
        schema: {
          tags: ['containers'],
          summary: 'Remove a container (force to remove a running one)',
          description: 'Equivalent: `docker rm`',
          params: ContainerParams,
          querystring: RemoveQuery,
          response: { 200: ContainerActionResult, ...errors },
        },
      },
      (request) => deps.actions.remove(request.params.host, request.params.id, request.query),
    );

    app.put(
      '/api/hosts/:host/containers/:id/environment',
      {
        config: { permission: 'host:write', audit: 'container.environment' },
        schema: {
          tags: ['containers'],
          summary: 'Set or clear the environment tag (kept by Berth, survives recreate)',
          params: ContainerParams,
          body: EnvironmentBody,
          response: { 200: ContainerDetail, ...errors },
        },
      },
      (request) => {
        auditInfo(request).details = request.body;
        return deps.containers.setEnvironment(
          request.params.host,
          request.params.id,
          request.body.environment,
        );
      },
    );

    app.get(
      '/api/hosts/:host/containers/:id/top',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['containers'],
          summary: 'Processes',
          description: 'Equivalent: `docker top`',
          params: ContainerParams,
          response: { 200: ProcessList, ...errors },
        },
      },
      (request) => deps.containers.top(request.params.host, request.params.id),
    );

    app.get(
      '/api/hosts/:host/containers/:id/changes',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['containers'],
          summary: 'Files changed since the container was created',
          description: 'Equivalent: `docker diff`',
          params: ContainerParams,
          response: { 200: FileChanges, ...errors },
        },
      },
      (request) => deps.containers.changes(request.params.host, request.params.id),
    );

    app.post(
      '/api/hosts/:host/containers/bulk',
      {
        config: { permission: 'host:write', audit: 'container.bulk' },
        schema: {
          tags: ['containers'],
          summary: 'One action on many containers; a result per container',
          params: HostParams,
          body: BulkAction,
          response: { 200: BulkResult, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const result = await deps.actions.bulk(request.params.host, request.body);
        auditInfo(request).details = {
          action: request.body.action,
          results: result.results.map((r) => ({ id: r.id, ok: r.ok })),
        };
        return result;
      },
    );
    done();
  };
}
