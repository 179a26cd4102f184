import { attachment, sendDownload } from '../../http/download-reply.js';
import { Readable } from 'node:stream';
import type { FastifyPluginCallback } from 'fastify';
import { addArchiveParser, rawBody } from '../../http/archive-body.js';
import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { ContainerFilesService } from './container-files.js';
import type { ContainerLogsService } from './container-logs.js';
import { encodeLines, feedSocket } from './container-socket-feed.js';
import type { ContainerStreamsService } from './container-streams.js';
import { routePlugins } from './route-plugins.js';

const UPLOAD_LIMIT_BYTES = 64 * 1024 * 1024;

export interface ContainerIoRoutesDeps {
  logs: ContainerLogsService;
  streams: ContainerStreamsService;
  files: ContainerFilesService;
}

/** Logs of a container (history, a file to save, live) and its files. */
export function containerIoRoutes(deps: ContainerIoRoutesDeps) {
  const { logs, streams, files } = deps;
  const logsRoutes = contractRoutes('logs', {
    get: async (request) => {
      const opened = await logs.open(request.params.host, request.params.id, request.query);
      const lines = [];
      for await (const line of opened.lines) lines.push(line);
      return { lines, cli: opened.cli };
    },
    download: async (request, reply) => {
      const opened = await logs.open(request.params.host, request.params.id, request.query);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const text = Readable.from(
        (async function* () {
          for await (const line of opened.lines)
            yield `${line.timestamp ? `${line.timestamp} ` : ''}${line.text}\n`;
        })(),
      );
      return reply
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-disposition', attachment(`${opened.name}-${stamp}.log`))
        .send(text);
    },
    follow: (socket, request) => {
      feedSocket(socket, request.log, 1_000, encodeLines, (viewer) =>
        streams.followLogs(request.params.host, request.params.id, request.query, viewer),
      );
    },
  });

  const filesRoutes = contractRoutes('containerFiles', {
    list: (request) => files.list(request.params.host, request.params.id, request.query.path),
    download: async (request, reply) => {
      auditInfo(request).target =
        `${request.params.host}/${request.params.id}:${request.query.path}`;
      const file = await files.download(
        request.params.host,
        request.params.id,
        request.query.path,
        request.query.format,
      );
      return sendDownload(reply, file);
    },
    upload: (request) => {
      auditInfo(request).target =
        `${request.params.host}/${request.params.id}:${request.query.path}`;
      const body: unknown = request.body;
      const content = Buffer.isBuffer(body)
        ? body
        : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
      return files.upload(request.params.host, request.params.id, request.query.path, content);
    },
    uploadArchive: (request) => {
      auditInfo(request).target =
        `${request.params.host}/${request.params.id}:${request.query.path}`;
      return files.uploadArchive(
        request.params.host,
        request.params.id,
        request.query.path,
        rawBody(request.body),
      );
    },
  });

  const routes = routePlugins(logsRoutes, filesRoutes);
  const plugin: FastifyPluginCallback = (app, options, done) => {
    // Uploads come as raw bytes, up to this size (the route's parser, not the app's JSON limit).
    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT_BYTES },
      (_req, body, next) => {
        next(null, body);
      },
    );
    addArchiveParser(app);
    routes(app, options, done);
  };
  return plugin;
}
