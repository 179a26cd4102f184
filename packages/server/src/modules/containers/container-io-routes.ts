import { Readable } from 'node:stream';
import {
  ContainerParams,
  DirectoryListing,
  ErrorBody,
  FileDownloadQuery,
  FilePathQuery,
  LogsPage,
  LogsQuery,
  UploadResult,
} from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditInfo } from '../../http/route-permissions.js';
import type { ContainerFilesService } from './container-files.js';
import type { ContainerLogsService } from './container-logs.js';

const UPLOAD_LIMIT_BYTES = 64 * 1024 * 1024;
const errors = { 400: ErrorBody, 404: ErrorBody };

function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`;
}

/** Log history and files of a container. Following logs live is the WebSocket's job. */
export function containerIoRoutes(
  logs: ContainerLogsService,
  files: ContainerFilesService,
): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT_BYTES },
      (_req, body, next) => {
        next(null, body);
      },
    );

    app.get(
      '/api/hosts/:host/containers/:id/logs',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['containers'],
          summary:
            'Log history: tail, since, until, timestamps, stdout/stderr, a text filter; or a file to save',
          description: 'Equivalent: `docker logs`',
          params: ContainerParams,
          querystring: LogsQuery,
          response: { 200: LogsPage, ...errors },
        },
      },
      async (request) => {
        const opened = await logs.open(request.params.host, request.params.id, request.query);
        const lines = [];
        for await (const line of opened.lines) lines.push(line);
        return { lines, cli: opened.cli };
      },
    );

    app.get(
      '/api/hosts/:host/containers/:id/logs/download',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['containers'],
          summary: 'The same selection as /logs, as a text file to save (streamed)',
          params: ContainerParams,
          querystring: LogsQuery,
        },
      },
      async (request, reply) => {
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
    );

    app.get(
      '/api/hosts/:host/containers/:id/files',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['containers'],
          summary: "List a folder of the container's filesystem",
          params: ContainerParams,
          querystring: FilePathQuery,
          response: { 200: DirectoryListing, ...errors },
        },
      },
      (request) => files.list(request.params.host, request.params.id, request.query.path),
    );

    app.get(
      '/api/hosts/:host/containers/:id/files/download',
      {
        // Files can hold secrets: operators and admins only.
        config: { permission: 'host:write', audit: 'container.file_download' },
        schema: {
          tags: ['containers'],
          summary: 'Download a file (as itself) or a folder (as tar)',
          description: 'Equivalent: `docker cp container:path -`',
          params: ContainerParams,
          querystring: FileDownloadQuery,
        },
      },
      async (request, reply) => {
        auditInfo(request).target =
          `${request.params.host}/${request.params.id}:${request.query.path}`;
        const file = await files.download(
          request.params.host,
          request.params.id,
          request.query.path,
          request.query.format,
        );
        if (file.size !== undefined) reply.header('content-length', file.size);
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', attachment(file.filename))
          .send(file.body);
      },
    );

    app.put(
      '/api/hosts/:host/containers/:id/files',
      {
        config: {
          permission: 'host:write',
          audit: 'container.file_upload',
          bodyType: 'application/octet-stream',
        },
        bodyLimit: UPLOAD_LIMIT_BYTES,
        schema: {
          tags: ['containers'],
          summary: 'Write the request body (application/octet-stream) as the file at `path`',
          description: 'Equivalent: `docker cp file container:path`',
          params: ContainerParams,
          querystring: FilePathQuery,
          response: { 200: UploadResult, ...errors },
        },
      },
      async (request) => {
        auditInfo(request).target =
          `${request.params.host}/${request.params.id}:${request.query.path}`;
        const body = request.body;
        const content = Buffer.isBuffer(body)
          ? body
          : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
        return files.upload(request.params.host, request.params.id, request.query.path, content);
      },
    );
    done();
  };
}
