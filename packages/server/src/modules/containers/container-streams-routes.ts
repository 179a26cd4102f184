import {
  ContainerParams,
  ContainerStats,
  ErrorBody,
  EXEC_CONTROL_MAX_BYTES,
  ExecControl,
  ExecResult,
  ExecRun,
  ExecTerminalQuery,
  type LogLineView,
  LogStreamQuery,
  NoClientMessages,
  StreamCloseCode,
  type StreamLines,
} from '@berth/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { AppError, errorMessage } from '../../core/errors.js';
import { actorOf } from '../../http/audit-hook.js';
import { BoundedSender } from '../../http/bounded-sender.js';
import { acceptClientMessages } from '../../http/client-messages.js';
import { upgradeRequired } from '../../http/upgrade-required.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { AuditService } from '../audit/audit-service.js';
import type { ContainerExecService, TerminalSession } from './container-exec.js';
import type { ContainerStreamsService, Viewer } from './container-streams.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

function failAndClose(sender: BoundedSender, err: unknown): void {
  const code = err instanceof AppError ? err.code : 'stream_failed';
  sender.json({ type: 'error', code, message: errorMessage(err) });
  sender.close(StreamCloseCode.internalError, code);
}

/** A message to send and how many items it carries (what the viewer's bound counts). */
interface Outgoing {
  text: string;
  items: number;
}

/**
 * Feeds one WebSocket viewer from a shared stream: each value as the message `encode` makes,
 * `end` when the stream ends, and the subscription dropped when the socket closes (even
 * mid-setup).
 */
function feedSocket<T>(
  socket: WebSocket,
  log: FastifyBaseLogger,
  maxQueued: number,
  encode: (value: T) => Outgoing,
  follow: (viewer: Viewer<T>) => Promise<() => void>,
): void {
  const sender = new BoundedSender(socket, maxQueued);
  acceptClientMessages(socket, log, {
    schema: NoClientMessages,
    maxTextBytes: 4096,
    onMessage: () => undefined,
  });
  let unsubscribe: (() => void) | null = null;
  let closed = false;
  socket.on('close', () => {
    closed = true;
    unsubscribe?.();
  });
  follow({
    message: (value) => {
      const { text, items } = encode(value);
      sender.send(text, items);
    },
    end: (reason) => {
      sender.json({ type: 'end', reason });
      sender.close(1000, 'end');
    },
  }).then(
    (stop) => {
      if (closed) stop();
      else unsubscribe = stop;
    },
    (err: unknown) => failAndClose(sender, err),
  );
}

/** Wires a started terminal to its socket: binary frames are keystrokes, text frames control. */
function serveTerminal(socket: WebSocket, log: FastifyBaseLogger, session: TerminalSession): void {
  if (socket.readyState !== socket.OPEN) {
    session.socket.destroy();
    return;
  }
  socket.send(JSON.stringify({ type: 'started', command: session.command, cli: session.cli }));
  session.socket.on('data', (chunk: Buffer) => socket.send(chunk, { binary: true }));
  session.socket.on('close', () => {
    session.exitCode().then(
      (exitCode) => {
        socket.send(JSON.stringify({ type: 'exit', exitCode }));
        socket.close(1000, 'exited');
      },
      () => socket.close(1000, 'exited'),
    );
  });
  acceptClientMessages(socket, log, {
    schema: ExecControl,
    maxTextBytes: EXEC_CONTROL_MAX_BYTES,
    onBinary: (data) => session.socket.write(data),
    onMessage: (control) => {
      if (control.type === 'input') {
        session.socket.write(control.data);
        return;
      }
      session
        .resize(control.cols, control.rows)
        .catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'terminal resize failed'));
    },
  });
  socket.on('close', () => session.socket.destroy());
}

/**
 * Log lines go out as `{type: 'lines', lines}`. Viewers that asked for the same selection get
 * the same array (see ContainerStreamsService), so it is serialised once for all of them.
 */
const encodedBatches = new WeakMap<LogLineView[], string>();
function encodeLines(lines: LogLineView[]): Outgoing {
  let text = encodedBatches.get(lines);
  if (text === undefined) {
    text = JSON.stringify({ type: 'lines', lines } satisfies StreamLines);
    encodedBatches.set(lines, text);
  }
  return { text, items: lines.length };
}

const encodeStats = (stats: ContainerStats): Outgoing => ({
  text: JSON.stringify({ type: 'stats', ...stats }),
  items: 1,
});

/** Live logs, live stats, one-off exec and interactive terminals. */
export function containerStreamsRoutes(
  streams: ContainerStreamsService,
  exec: ContainerExecService,
  audit: AuditService,
): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.route({
      method: 'GET',
      url: '/api/hosts/:host/containers/:id/logs/stream',
      config: { permission: 'host:read' },
      schema: {
        tags: ['streams'],
        summary:
          'WebSocket: history, then live log lines in batches (one shared engine stream per container)',
        params: ContainerParams,
        querystring: LogStreamQuery,
      },
      handler: upgradeRequired,
      wsHandler: (socket: WebSocket, request) => {
        feedSocket(socket, request.log, 1_000, encodeLines, (viewer) =>
          streams.followLogs(request.params.host, request.params.id, request.query, viewer),
        );
      },
    });

    app.route({
      method: 'GET',
      url: '/api/hosts/:host/containers/:id/stats/stream',
      config: { permission: 'host:read' },
      schema: {
        tags: ['streams'],
        summary: 'WebSocket: live stats (one shared engine stream per container)',
        params: ContainerParams,
      },
      handler: upgradeRequired,
      wsHandler: (socket: WebSocket, request) => {
        feedSocket(socket, request.log, 10, encodeStats, (viewer) =>
          streams.followStats(request.params.host, request.params.id, viewer),
        );
      },
    });

    app.get(
      '/api/hosts/:host/containers/:id/stats',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['containers'],
          summary: 'One stats reading: CPU %, memory, network, block I/O, PIDs',
          description: 'Equivalent: `docker stats --no-stream`',
          params: ContainerParams,
          response: { 200: ContainerStats, ...errors },
        },
      },
      (request) => streams.statsOnce(request.params.host, request.params.id),
    );

    app.post(
      '/api/hosts/:host/containers/:id/exec',
      {
        config: { permission: 'host:write', audit: 'container.exec' },
        schema: {
          tags: ['containers'],
          summary: 'Run a command; its output and exit code',
          description: 'Equivalent: `docker exec`',
          params: ContainerParams,
          body: ExecRun,
          response: { 200: ExecResult, ...errors },
        },
      },
      async (request) => {
        auditInfo(request).details = { command: request.body.command };
        const result = await exec.run(request.params.host, request.params.id, request.body);
        auditInfo(request).details = { command: request.body.command, exitCode: result.exitCode };
        return result;
      },
    );

    app.route({
      method: 'GET',
      url: '/api/hosts/:host/containers/:id/exec/terminal',
      config: { permission: 'host:write' },
      schema: {
        tags: ['streams'],
        summary: 'WebSocket: an interactive terminal (binary frames in and out; JSON resize/input)',
        description: 'Equivalent: `docker exec -it <container> bash`',
        params: ContainerParams,
        querystring: ExecTerminalQuery,
      },
      handler: upgradeRequired,
      wsHandler: (socket: WebSocket, request) => {
        const { host, id } = request.params;
        const log = request.log.child({ host, container: id, stream: 'terminal' });
        const entry = (outcome: 'success' | 'failure', details: Record<string, unknown>) => ({
          actor: actorOf(request),
          action: 'container.terminal',
          target: `${host}/${id}`,
          outcome,
          details,
        });
        const start = async (): Promise<void> => {
          let session: TerminalSession;
          try {
            session = await exec.terminal(host, id, request.query);
          } catch (err) {
            await audit
              .record(entry('failure', { error: errorMessage(err) }))
              .catch((auditErr: unknown) =>
                log.error({ err: errorMessage(auditErr) }, 'terminal failure not audited'),
              );
            failAndClose(new BoundedSender(socket), err);
            return;
          }
          // No audit entry, no shell: the same as an HTTP change whose entry cannot be written.
          try {
            await audit.record(entry('success', { command: session.command }));
          } catch (err) {
            log.error({ err: errorMessage(err) }, 'terminal not audited; closing it');
            session.socket.destroy();
            failAndClose(
              new BoundedSender(socket),
              new AppError(500, 'audit_failed', 'the audit entry could not be written'),
            );
            return;
          }
          serveTerminal(socket, log, session);
        };
        start().catch((err: unknown) => {
          log.error({ err: errorMessage(err) }, 'terminal failed');
          socket.close(StreamCloseCode.internalError, 'terminal_failed');
        });
      },
    });
    done();
  };
}
