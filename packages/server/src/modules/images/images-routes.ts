import type { Readable } from 'node:stream';
import type { TransferResult } from '@berth/contract';
import type { FastifyPluginCallback } from 'fastify';
import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { ImageBuilds } from './image-builds.js';
import type { ImageTransfers } from './image-transfers.js';
import type { ImagesService } from './images-service.js';

/**
 * The raw tar body of a load or a context build: the request stream itself, handed straight to
 * the engine (archives can be gigabytes). The parser below makes it one; the contract's
 * `bodyType` has the server refuse any other content type before the handler runs.
 */
const archive = (request: { body: unknown }): Readable => request.body as Readable;

/** Images: list, inspect, history, tag, remove, pull, push, save, load, build, prune. */
export function imagesRoutes(
  images: ImagesService,
  transfers: ImageTransfers,
  builds: ImageBuilds,
): FastifyPluginCallback {
  const routes = contractRoutes('images', {
    list: (request) => images.list(request.params.host, request.query),
    pull: (request) => startTransfer('pull', request),
    push: (request) => startTransfer('push', request),
    transfer: (request) => transfers.get(request.params.host, request.params.transferId),
    cancelTransfer: (request) => transfers.cancel(request.params.host, request.params.transferId),
    load: async (request) => {
      const result = await transfers.load(request.params.host, archive(request));
      auditInfo(request).details = { loaded: result.loaded };
      return result;
    },
    build: async (request) => {
      const { dockerfile, tags, buildArgs } = request.body;
      const result = await builds.fromDockerfile(request.params.host, dockerfile, tags, buildArgs);
      auditBuild(request, request.params.host, tags, result);
      return result;
    },
    buildContext: async (request) => {
      const tags = [request.query.tag].flat();
      const result = await builds.build(request.params.host, archive(request), {
        tags,
        dockerfile: request.query.dockerfile,
        buildArgs: request.query.buildArgs ?? {},
        ...(request.query.target ? { target: request.query.target } : {}),
        ...(request.query.noCache ? { noCache: true } : {}),
      });
      auditBuild(request, request.params.host, tags, result);
      return result;
    },
    prune: async (request) => {
      const result = await images.prune(request.params.host, request.body);
      auditInfo(request).details = {
        dryRun: result.dryRun,
        removed: result.removed.length,
        reclaimedBytes: result.reclaimedBytes,
      };
      return result;
    },
    inspect: (request) => images.inspect(request.params.host, request.params.id),
    history: (request) => images.history(request.params.host, request.params.id),
    tag: (request) => {
      auditInfo(request).details = request.body;
      const { host, id } = request.params;
      return images.tag(host, id, request.body.repository, request.body.tag);
    },
    remove: (request) =>
      images.remove(request.params.host, request.params.id, request.query.force ?? false),
    save: async (request, reply) => {
      const saved = await transfers.save(request.params.host, request.params.id);
      const file = `${request.params.id.replace(/[^\w.-]+/g, '_')}.tar`;
      return reply
        .header('content-type', 'application/x-tar')
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(saved.body);
    },
  });

  type TransferRequest = Parameters<typeof auditInfo>[0] & {
    params: { host: string };
    body: { image: string; wait: boolean };
  };
  async function startTransfer(kind: 'pull' | 'push', request: TransferRequest) {
    auditInfo(request).target = `${request.params.host}/${request.body.image}`;
    const { host } = request.params;
    const result = await transfers.start(host, kind, request.body.image, request.body.wait);
    const outcomeOf = (r: TransferResult) => ({
      outcome: r.status === 'done' ? ('success' as const) : ('failure' as const),
      details: { status: r.status, error: r.error, digest: r.digest },
    });
    if (result.status === 'running') {
      // The answer leaves now; the entry waits for the transfer's real end.
      auditInfo(request).settled = transfers.finished(host, result.transferId).then(outcomeOf);
    } else {
      Object.assign(auditInfo(request), outcomeOf(result));
    }
    return result;
  }

  function auditBuild(
    request: Parameters<typeof auditInfo>[0],
    host: string,
    tags: readonly string[],
    result: { ok: boolean; imageId: string | null; failedStep: string | null },
  ): void {
    auditInfo(request).target = `${host}/${tags[0] ?? ''}`;
    auditInfo(request).details = {
      ok: result.ok,
      imageId: result.imageId,
      failedStep: result.failedStep,
    };
  }

  return (app, options, done) => {
    // Image archives can be gigabytes: hand the request stream straight to the engine.
    app.addContentTypeParser('application/x-tar', (_request, payload, next) => {
      next(null, payload);
    });
    routes(app, options, done);
  };
}
