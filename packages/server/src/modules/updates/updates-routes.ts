import {
  ContainerParams,
  ContainerUpdateEntry,
  ContainerUpdateHistory,
  ErrorBody,
  HostParams,
  ImageUpdateList,
  RetagRequest,
  RollbackRequest,
  UpdateApplyRequest,
  UpdateApplyResult,
  UpdateContainerRequest,
  UpdatePreview,
} from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { ContainerUpdates } from './container-updates.js';
import type { UpdateChecker } from './update-checker.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Update detection, and updating, retagging and rolling back containers. */
export function updatesRoutes(
  checker: UpdateChecker,
  updates: ContainerUpdates,
): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    const actor = (request: Parameters<typeof requirePrincipal>[0]) => {
      const p = requirePrincipal(request);
      return { role: p.role, username: p.user.username };
    };
    app.get(
      '/api/hosts/:host/images/updates',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['updates'],
          summary: 'The latest update check, per image in use',
          params: HostParams,
          response: { 200: ImageUpdateList, 404: ErrorBody },
        },
      },
      async (request) => ({
        updates: await checker.latest(request.params.host),
      }),
    );
    app.post(
      '/api/hosts/:host/images/updates',
      {
        config: { permission: 'host:write', audit: 'image.update_check' },
        schema: {
          tags: ['updates'],
          summary: "Check now: each image in use against its registry's digest",
          params: HostParams,
          response: { 200: ImageUpdateList, 404: ErrorBody },
        },
      },
      async (request) => {
        const result = await checker.check(request.params.host);
        auditInfo(request).details = {
          checked: result.length,
          available: result.filter((r) => r.status === 'update-available').length,
        };
        return { updates: result };
      },
    );
    app.get(
      '/api/hosts/:host/containers/:id/updates',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['updates'],
          summary: "The container's update history",
          params: ContainerParams,
          response: { 200: ContainerUpdateHistory, ...errors },
        },
      },
      async (request) => ({
        history: await updates.history(request.params.host, request.params.id),
      }),
    );
    app.post(
      '/api/hosts/:host/containers/:id/update',
      {
        config: { permission: 'host:write', audit: 'container.image_update' },
        schema: {
          tags: ['updates'],
          summary:
            'Pull its tag again and recreate it on the new image; rolled back automatically on failure',
          params: ContainerParams,
          body: UpdateContainerRequest,
          response: { 200: ContainerUpdateEntry, ...errors },
        },
      },
      async (request) => {
        const entry = await updates.update(
          actor(request),
          request.params.host,
          request.params.id,
          request.body.validateSeconds,
        );
        auditInfo(request).details = {
          outcome: entry.outcome,
          oldImageId: entry.oldImageId,
          newImageId: entry.newImageId,
        };
        return entry;
      },
    );
    app.post(
      '/api/hosts/:host/containers/:id/retag',
      {
        config: { permission: 'host:write', audit: 'container.retag' },
        schema: {
          tags: ['updates'],
          summary: 'Move to another tag of the same repository (e.g. 1.28 → 1.29)',
          params: ContainerParams,
          body: RetagRequest,
          response: { 200: ContainerUpdateEntry, ...errors },
        },
      },
      async (request) => {
        const entry = await updates.retag(
          actor(request),
          request.params.host,
          request.params.id,
          request.body.tag,
          request.body.validateSeconds,
        );
        auditInfo(request).details = { outcome: entry.outcome, to: entry.newImage };
        return entry;
      },
    );
    app.post(
      '/api/hosts/:host/containers/:id/rollback',
      {
        config: { permission: 'host:write', audit: 'container.rollback' },
        schema: {
          tags: ['updates'],
          summary: "Go back to a history entry's old image",
          params: ContainerParams,
          body: RollbackRequest,
          response: { 200: ContainerUpdateEntry, ...errors },
        },
      },
      async (request) => {
        const entry = await updates.rollback(
          actor(request),
          request.params.host,
          request.params.id,
          request.body.historyId,
          request.body.validateSeconds,
        );
        auditInfo(request).details = {
          outcome: entry.outcome,
          to: entry.newImage,
          historyId: request.body.historyId,
        };
        return entry;
      },
    );
    app.get(
      '/api/hosts/:host/updates/preview',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['updates'],
          summary: 'Exactly the containers "update all" would change',
          params: HostParams,
          response: { 200: UpdatePreview, 404: ErrorBody },
        },
      },
      async (request) => ({
        containers: await updates.preview(request.params.host),
      }),
    );
    app.post(
      '/api/hosts/:host/updates/apply',
      {
        config: { permission: 'host:write', audit: 'container.update_all' },
        schema: {
          tags: ['updates'],
          summary: 'Update the given containers from the preview (never others); a result each',
          params: HostParams,
          body: UpdateApplyRequest,
          response: { 200: UpdateApplyResult, ...errors },
        },
      },
      async (request) => {
        const results = await updates.apply(
          actor(request),
          request.params.host,
          request.body.containers,
          request.body.validateSeconds,
        );
        auditInfo(request).details = {
          results: results.map((r) => ({ id: r.id, outcome: r.outcome })),
        };
        return { results };
      },
    );
    done();
  };
}
