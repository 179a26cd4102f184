import {
  type Api,
  EXEC_CONTROL_MAX_BYTES,
  ExecControl,
  ExecStreamByte,
  StreamCloseCode,
  type TerminalMessage,
} from '@berth/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError, errorMessage } from '../../core/errors.js';
import { demuxFrames } from '../../docker/log-stream.js';
import { actorOf } from '../../http/audit-hook.js';
import { BoundedSender } from '../../http/bounded-sender.js';
import { acceptClientMessages } from '../../http/client-messages.js';
import { contractRoutes, type StreamHandler } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { AuditService } from '../audit/audit-service.js';
import type { ContainerExecService, TerminalSession } from './container-exec.js';
import { encodeStats, failAndClose, feedSocket } from './container-socket-feed.js';
import type { ContainerStreamsService } from './container-streams.js';
import { feedManyStats } from './stats-many-feed.js';
import { routePlugins } from './route-plugins.js';

const json = (message: TerminalMessage): string => JSON.stringify(message);

/**
 * The session's output as binary frames: a TTY's bytes as they come; without a TTY each frame
 * of the engine's multiplexed stream, tagged by its first byte (stdout or stderr).
 */
async function forwardOutput(socket: WebSocket, session: TerminalSession): Promise<void> {
  if (session.tty) {
    session.socket.on('data', (chunk: Buffer) => socket.send(chunk, { binary: true }));
    await new Promise<void>((resolve) => session.socket.once('close', () => resolve()));
    return;
  }
  try {
    for await (const frame of demuxFrames(session.socket, false)) {
      const tag = Buffer.of(ExecStreamByte[frame.stream]);
      socket.send(Buffer.concat([tag, frame.data]), { binary: true });
    }
  } catch (err) {
    // The viewer left (its close destroys the exec's socket): nothing more to forward.
    if (socket.readyState === socket.OPEN) throw err;
  }
}

/** Wires a started terminal to its socket: binary frames are keystrokes, text frames control. */
function serveTerminal(socket: WebSocket, log: FastifyBaseLogger, session: TerminalSession): void {
  if (socket.readyState !== socket.OPEN) {
    session.socket.destroy();
    return;
  }
  socket.send(json({ type: 'started', command: session.command, cli: session.cli }));
  forwardOutput(socket, session)
    .then(() => session.exitCode())
    .then(
      (exitCode) => {
        if (socket.readyState !== socket.OPEN) return;
        socket.send(json({ type: 'exit', exitCode }));
        socket.close(1000, 'exited');
      },
      (err: unknown) => {
        log.warn({ err: errorMessage(err) }, 'terminal output failed');
        socket.close(1000, 'exited');
      },
    );
  acceptClientMessages(socket, log, {
    schema: ExecControl,
    maxTextBytes: EXEC_CONTROL_MAX_BYTES,
    onBinary: (data) => session.socket.write(data),
    onMessage: (control) => {
      if (control.type === 'input') {
        session.socket.write(control.data);
        return;
      }
      if (control.type === 'eof') {
        // Half-close the exec's connection: the command reads end of file, its output goes on.
        session.socket.end();
        return;
      }
      session
        .resize(control.cols, control.rows)
        .catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'terminal resize failed'));
    },
  });
  socket.on('close', () => session.socket.destroy());
}

/** The terminal stream: audited when it starts (no audit entry, no shell), then served. */
function terminalHandler(
  exec: ContainerExecService,
  audit: AuditService,
): StreamHandler<Api['exec']['terminal']> {
  return (socket, request) => {
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
  };
}

/** Stats (one reading, live) and exec (one-off run, interactive terminal). */
export function containerStreamsRoutes(
  streams: ContainerStreamsService,
  exec: ContainerExecService,
  audit: AuditService,
) {
  const stats = contractRoutes('stats', {
    get: (request) => streams.statsOnce(request.params.host, request.params.id),
    follow: (socket, request) => {
      feedSocket(socket, request.log, 10, encodeStats, (viewer) =>
        streams.followStats(request.params.host, request.params.id, viewer),
      );
    },
    many: (socket, request) => {
      feedManyStats(socket, request.log, (ref, viewer) =>
        streams.followStats(request.params.host, ref, viewer),
      );
    },
  });
  const execRoutes = contractRoutes('exec', {
    run: async (request) => {
      auditInfo(request).details = { command: request.body.command };
      const result = await exec.run(request.params.host, request.params.id, request.body);
      auditInfo(request).details = { command: request.body.command, exitCode: result.exitCode };
      return result;
    },
    terminal: terminalHandler(exec, audit),
  });
  return routePlugins(stats, execRoutes);
}
