import type { Readable } from 'node:stream';
import type { StackLogLine } from '@berth/contract';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import { feedSocket } from '../containers/container-socket-feed.js';
import { IMPORT_LIMITS, readStackArchive } from './stack-import.js';
import type { Caller, StackOperations } from './stack-operations.js';
import type { StackLogs } from './stack-logs.js';
import type { StacksService } from './stacks-service.js';
import type { StackVariablesService } from './stack-variables.js';

export interface StacksRoutesDeps {
  stacks: StacksService;
  operations: StackOperations;
  logs: StackLogs;
  variables: StackVariablesService;
}

function caller(request: FastifyRequest): Caller {
  const principal = requirePrincipal(request);
  return { role: principal.role, username: principal.user.username };
}

const by = (request: FastifyRequest): string => requirePrincipal(request).user.username;

/** Marks the audit entry with the stack (and what else it should say). */
function audited(
  request: FastifyRequest & { params: { host: string; name: string } },
  details?: Record<string, unknown>,
): void {
  auditInfo(request).target = `${request.params.host}/${request.params.name}`;
  if (details) auditInfo(request).details = details;
}

const encodeLines = (lines: StackLogLine[]) => ({
  text: JSON.stringify({ type: 'lines', lines }),
  items: lines.length,
});

/** Compose stacks: thin routes over StacksService, StackOperations and StackLogs. */
export function stacksRoutes({
  stacks,
  operations,
  logs,
  variables,
}: StacksRoutesDeps): FastifyPluginCallback {
  /** start, stop and restart: one handler but for the operation. */
  const control =
    (operation: 'start' | 'stop' | 'restart') =>
    (
      request: FastifyRequest & {
        params: { host: string; name: string };
        body: { services?: string[] | undefined };
      },
    ) => {
      audited(request);
      return operations.control(
        request.params.host,
        request.params.name,
        operation,
        request.body.services,
      );
    };
  const routes = contractRoutes('stacks', {
    list: (request) => stacks.list(request.params.host),
    create: async (request, reply) => {
      auditInfo(request).target = `${request.params.host}/${request.body.name}`;
      const created = await stacks.create(request.params.host, request.body, by(request));
      return reply.status(201).send(created);
    },
    import: async (request, reply) => {
      audited(request);
      const files = await readStackArchive(request.body as Readable);
      audited(request, { files: Object.keys(files).sort() });
      const created = await stacks.import(
        request.params.host,
        request.params.name,
        files,
        by(request),
      );
      return reply.status(201).send(created);
    },
    importFile: async (request, reply) => {
      audited(request, { files: ['compose.yaml'] });
      const files = { 'compose.yaml': request.body as string };
      const created = await stacks.import(
        request.params.host,
        request.params.name,
        files,
        by(request),
      );
      return reply.status(201).send(created);
    },
    variables: (request) => variables.list(request.params.host, caller(request).role),
    setVariables: (request) => {
      auditInfo(request).target = request.params.host;
      auditInfo(request).details = {
        names: request.body.variables.map((v) => v.name),
        secret: request.body.variables.filter((v) => v.secret).map((v) => v.name),
      };
      return variables.replace(request.params.host, request.body);
    },
    validate: (request) =>
      operations.validate(request.params.host, request.body.name, request.body.files),
    get: (request) => stacks.get(request.params.host, request.params.name),
    update: (request) => {
      audited(request, {
        files: Object.keys(request.body.files),
        removed: request.body.remove,
        ...(request.body.message ? { message: request.body.message } : {}),
      });
      return stacks.update(request.params.host, request.params.name, request.body, by(request));
    },
    remove: async (request, reply) => {
      audited(request, { down: request.query.down });
      await stacks.remove(request.params.host, request.params.name, request.query);
      return reply.status(204).send();
    },
    config: (request) => operations.config(request.params.host, request.params.name),
    plan: (request) => operations.plan(request.params.host, request.params.name, request.body),
    up: async (request) => {
      audited(request, { planId: request.body.planId ?? null });
      const answer = await operations.up(
        request.params.host,
        request.params.name,
        request.body,
        caller(request),
      );
      audited(request, { planId: answer.plan?.planId ?? null, ok: answer.ok });
      return answer;
    },
    down: (request) => {
      audited(request, { removeVolumes: request.body.removeVolumes });
      return operations.down(request.params.host, request.params.name, request.body.removeVolumes);
    },
    start: control('start'),
    stop: control('stop'),
    restart: control('restart'),
    pull: (request) => {
      audited(request);
      return operations.pull(
        request.params.host,
        request.params.name,
        request.body.services,
        caller(request),
      );
    },
    adopt: (request) => {
      audited(request);
      return stacks.adopt(request.params.host, request.params.name, by(request));
    },
    logs: (request) => logs.page(request.params.host, request.params.name, request.query),
    followLogs: (socket, request) => {
      feedSocket(socket, request.log, 2_000, encodeLines, (viewer) =>
        logs.follow(request.params.host, request.params.name, request.query, viewer),
      );
    },
    readFile: (request) =>
      stacks.readFile(request.params.host, request.params.name, request.params['*']),
    writeFile: (request) => {
      audited(request, { file: request.params['*'] });
      return stacks.writeFile(
        request.params.host,
        request.params.name,
        request.params['*'],
        request.body.content,
        by(request),
      );
    },
    history: (request) => stacks.historyOf(request.params.host, request.params.name),
    version: (request) =>
      stacks.versionOf(request.params.host, request.params.name, request.params.version),
    restore: (request) => {
      audited(request, { version: request.params.version });
      return stacks.restore(
        request.params.host,
        request.params.name,
        request.params.version,
        by(request),
      );
    },
  });

  return (app, options, done) => {
    // An uploaded stack folder streams through the tar reader, which bounds what it keeps.
    app.addContentTypeParser('application/x-tar', (_request, payload, next) => {
      next(null, payload);
    });
    app.addContentTypeParser(
      'application/yaml',
      { parseAs: 'string', bodyLimit: IMPORT_LIMITS.fileBytes },
      (_request, text, next) => {
        next(null, text);
      },
    );
    routes(app, options, done);
  };
}
