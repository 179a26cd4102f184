import {
  ActionCli,
  BuildContextQuery,
  BuildRequest,
  BuildResult,
  ErrorBody,
  HostParams,
  ImageHistory,
  ImageList,
  ImageListQuery,
  ImageParams,
  ImageRemoveQuery,
  LoadResult,
  PruneImagesRequest,
  PruneResult,
  PullRequest,
  PushRequest,
  TagRequest,
  TransferResult,
} from '@berth/contract';
import type { Readable } from 'node:stream';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditInfo } from '../../http/route-permissions.js';
import type { ImageBuilds } from './image-builds.js';
import type { ImageTransfers } from './image-transfers.js';
import type { ImagesService } from './images-service.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const TransferParams = HostParams.extend({ transferId: z.uuid() });
const IMAGE_ARCHIVE_LIMIT = 8 * 1024 * 1024 * 1024;

/** Images: list, inspect, history, tag, remove, pull, push, save, load, prune. */
export function imagesRoutes(
  images: ImagesService,
  transfers: ImageTransfers,
  builds: ImageBuilds,
): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    // Image archives can be gigabytes: hand the request stream straight to the engine.
    app.addContentTypeParser(
      'application/x-tar',
      { bodyLimit: IMAGE_ARCHIVE_LIMIT },
      (_request, payload, next) => {
        next(null, payload);
      },
    );

    app.get(
      '/api/hosts/:host/images',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['images'],
          summary: 'Images with tags, digests, size, who uses them, dangling/unused, previous tags',
          description: 'Equivalent: `docker image ls --all`',
          params: HostParams,
          querystring: ImageListQuery,
          response: { 200: ImageList, 404: ErrorBody },
        },
      },
      (request) => images.list(request.params.host, request.query),
    );

    const transferRoutes = [
      ['pull', PullRequest, 'Pull an image; progress per layer on the host events stream'],
      ['push', PushRequest, 'Push an image to its registry; progress on the host events stream'],
    ] as const;
    for (const [kind, body, summary] of transferRoutes) {
      app.post(
        `/api/hosts/:host/images/${kind}`,
        {
          config: { permission: 'host:write', audit: `image.${kind}` },
          schema: {
            tags: ['images'],
            summary,
            description: `Equivalent: \`docker ${kind}\``,
            params: HostParams,
            body,
            response: { 200: TransferResult, ...errors },
          },
        },
        async (request) => {
          auditInfo(request).target = `${request.params.host}/${request.body.image}`;
          const result = await transfers.start(
            request.params.host,
            kind,
            request.body.image,
            request.body.wait,
          );
          auditInfo(request).details = {
            status: result.status,
            error: result.error,
            digest: result.digest,
          };
          return result;
        },
      );
    }

    app.get(
      '/api/hosts/:host/images/transfers/:transferId',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['images'],
          summary: 'Where a pull or push stands',
          params: TransferParams,
          response: { 200: TransferResult, 404: ErrorBody },
        },
      },
      (request) => transfers.get(request.params.host, request.params.transferId),
    );

    app.post(
      '/api/hosts/:host/images/transfers/:transferId/cancel',
      {
        config: { permission: 'host:write', audit: 'image.transfer_cancel' },
        schema: {
          tags: ['images'],
          summary: 'Cancel a running pull or push',
          params: TransferParams,
          response: { 200: TransferResult, 404: ErrorBody },
        },
      },
      (request) => transfers.cancel(request.params.host, request.params.transferId),
    );

    app.post(
      '/api/hosts/:host/images/load',
      {
        config: { permission: 'host:write', audit: 'image.load', bodyType: 'application/x-tar' },
        bodyLimit: IMAGE_ARCHIVE_LIMIT,
        schema: {
          tags: ['images'],
          summary: 'Load images from a `docker save` archive (body: application/x-tar)',
          description: 'Equivalent: `docker load`',
          params: HostParams,
          response: { 200: LoadResult, ...errors },
        },
      },
      async (request) => {
        const result = await transfers.load(request.params.host, request.body as Readable);
        auditInfo(request).details = { loaded: result.loaded };
        return result;
      },
    );

    app.post(
      '/api/hosts/:host/images/build',
      {
        config: { permission: 'host:write', audit: 'image.build' },
        schema: {
          tags: ['images'],
          summary: 'Build from a Dockerfile text; the log streams on the host events stream',
          description: 'Equivalent: `docker build`',
          params: HostParams,
          body: BuildRequest,
          response: { 200: BuildResult, ...errors },
        },
      },
      async (request) => {
        const result = await builds.fromDockerfile(
          request.params.host,
          request.body.dockerfile,
          request.body.tags,
          request.body.buildArgs,
        );
        auditInfo(request).target = `${request.params.host}/${request.body.tags[0] ?? ''}`;
        auditInfo(request).details = {
          ok: result.ok,
          imageId: result.imageId,
          failedStep: result.failedStep,
        };
        return result;
      },
    );

    app.post(
      '/api/hosts/:host/images/build/context',
      {
        config: { permission: 'host:write', audit: 'image.build', bodyType: 'application/x-tar' },
        bodyLimit: IMAGE_ARCHIVE_LIMIT,
        schema: {
          tags: ['images'],
          summary: 'Build from an uploaded context (body: application/x-tar)',
          description: 'Equivalent: `docker build`',
          params: HostParams,
          querystring: BuildContextQuery,
          response: { 200: BuildResult, ...errors },
        },
      },
      async (request) => {
        const tags = [request.query.tag].flat();
        const result = await builds.build(request.params.host, request.body as Readable, {
          tags,
          dockerfile: request.query.dockerfile,
          buildArgs: request.query.buildArgs ?? {},
        });
        auditInfo(request).target = `${request.params.host}/${tags[0] ?? ''}`;
        auditInfo(request).details = {
          ok: result.ok,
          imageId: result.imageId,
          failedStep: result.failedStep,
        };
        return result;
      },
    );

    app.post(
      '/api/hosts/:host/images/prune',
      {
        config: { permission: 'host:write', audit: 'image.prune' },
        schema: {
          tags: ['images'],
          summary: 'Remove dangling or unused images; dryRun (the default) only lists them',
          description: 'Equivalent: `docker image prune`',
          params: HostParams,
          body: PruneImagesRequest,
          response: { 200: PruneResult, ...errors },
        },
      },
      async (request) => {
        const result = await images.prune(request.params.host, request.body);
        auditInfo(request).details = {
          dryRun: result.dryRun,
          removed: result.removed.length,
          reclaimedBytes: result.reclaimedBytes,
        };
        return result;
      },
    );

    app.get(
      '/api/hosts/:host/images/:id',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['images'],
          summary: 'Inspect',
          description: 'Equivalent: `docker image inspect`',
          params: ImageParams,
          response: { 200: z.record(z.string(), z.unknown()), ...errors },
        },
      },
      (request) => images.inspect(request.params.host, request.params.id),
    );

    app.get(
      '/api/hosts/:host/images/:id/history',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['images'],
          summary: 'Layers',
          description: 'Equivalent: `docker history`',
          params: ImageParams,
          response: { 200: ImageHistory, ...errors },
        },
      },
      (request) => images.history(request.params.host, request.params.id),
    );

    app.post(
      '/api/hosts/:host/images/:id/tag',
      {
        config: { permission: 'host:write', audit: 'image.tag' },
        schema: {
          tags: ['images'],
          summary: 'Add a tag',
          description: 'Equivalent: `docker tag`',
          params: ImageParams,
          body: TagRequest,
          response: { 200: ActionCli, ...errors },
        },
      },
      (request) => {
        auditInfo(request).details = request.body;
        return images.tag(
          request.params.host,
          request.params.id,
          request.body.repository,
          request.body.tag,
        );
      },
    );

    app.delete(
      '/api/hosts/:host/images/:id',
      {
        config: { permission: 'host:write', audit: 'image.remove' },
        schema: {
          tags: ['images'],
          summary: 'Remove (or untag)',
          description: 'Equivalent: `docker rmi`',
          params: ImageParams,
          querystring: ImageRemoveQuery,
          response: { 200: ActionCli, ...errors },
        },
      },
      (request) =>
        images.remove(request.params.host, request.params.id, request.query.force ?? false),
    );

    app.get(
      '/api/hosts/:host/images/:id/save',
      {
        config: { permission: 'host:write', audit: 'image.save' },
        schema: {
          tags: ['images'],
          summary: 'Download as a `docker save` tar archive',
          params: ImageParams,
        },
      },
      async (request, reply) => {
        const saved = await transfers.save(request.params.host, request.params.id);
        const file = `${request.params.id.replace(/[^\w.-]+/g, '_')}.tar`;
        return reply
          .header('content-type', 'application/x-tar')
          .header('content-disposition', `attachment; filename="${file}"`)
          .send(saved.body);
      },
    );
    done();
  };
}
