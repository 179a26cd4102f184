import {
  type Api,
  AttachControl,
  type AttachMessage,
  EXEC_CONTROL_MAX_BYTES,
  StreamCloseCode,
} from '@berth/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError, errorMessage } from '../../core/errors.js';
import { actorOf } from '../../http/audit-hook.js';
import { BoundedSender } from '../../http/bounded-sender.js';
import { acceptClientMessages } from '../../http/client-messages.js';
import { contractRoutes, type StreamHandler } from '../../http/contract-routes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { AttachSession, ContainerAttachService } from './container-attach.js';
import { failAndClose } from './container-socket-feed.js';

const json = (message: AttachMessage): string => JSON.stringify(message);
/** Without a TTY each binary frame names its stream in its first byte, as the engine's do. */
const STREAM_BYTE = { stdout: 1, stderr: 2 } as const;

/**
 * Wires an attached container to its socket. It ends one of three ways: the client types the
 * detach sequence (`detached`, the container runs on), the container exits (`exit` and its
 * code), or the client leaves (the attach ends, the container runs on).
 */
function serveAttach(
  socket: WebSocket,
  log: FastifyBaseLogger,
  session: AttachSession,
  detachKeys: string,
): void {
  if (socket.readyState !== socket.OPEN) {
    session.close();
    return;
  }
  let ended = false;
  const detach = (): void => {
    if (ended) return;
    ended = true;
    session.close();
    socket.send(json({ type: 'detached', keys: detachKeys }));
    socket.close(1000, 'detached');
  };
  const input = (data: Buffer): void => {
    if (!ended && session.input(data)) detach();
  };
  socket.send(json({ type: 'started', tty: session.tty, cli: session.cli }));
  const pump = async (): Promise<void> => {
    for await (const { stream, data } of session.output) {
      if (ended) return;
      socket.send(session.tty ? data : Buffer.concat([Buffer.from([STREAM_BYTE[stream]]), data]), {
        binary: true,
      });
    }
  };
  pump()
    .catch((err: unknown) => log.debug({ err: errorMessage(err) }, 'attach output ended'))
    .then(async () => {
      if (ended) return;
      ended = true;
      const exitCode = await session.exitCode();
      if (socket.readyState !== socket.OPEN) return;
      socket.send(json({ type: 'exit', exitCode }));
      socket.close(1000, 'exited');
    })
    .catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'attach end not sent'));
  acceptClientMessages(socket, log, {
    schema: AttachControl,
    maxTextBytes: EXEC_CONTROL_MAX_BYTES,
    onBinary: input,
    onMessage: (control) => {
      if (control.type === 'input') input(Buffer.from(control.data));
      else if (control.type === 'close-stdin') session.closeInput();
      else
        session
          .resize(control.cols, control.rows)
          .catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'attach resize failed'));
    },
  });
  socket.on('close', () => {
    ended = true;
    session.close();
  });
}

/** The attach stream: audited when it starts (no audit entry, no attach), then served. */
function attachHandler(
  attach: ContainerAttachService,
  audit: AuditService,
): StreamHandler<Api['attach']['terminal']> {
  return (socket, request) => {
    const { host, id } = request.params;
    const log = request.log.child({ host, container: id, stream: 'attach' });
    const entry = (outcome: 'success' | 'failure', details: Record<string, unknown>) => ({
      actor: actorOf(request),
      action: 'container.attach',
      target: `${host}/${id}`,
      outcome,
      details,
    });
    const start = async (): Promise<void> => {
      let session: AttachSession;
      try {
        session = await attach.attach(host, id, request.query);
      } catch (err) {
        await audit
          .record(entry('failure', { error: errorMessage(err) }))
          .catch((auditErr: unknown) =>
            log.error({ err: errorMessage(auditErr) }, 'attach failure not audited'),
          );
        failAndClose(new BoundedSender(socket), err);
        return;
      }
      try {
        await audit.record(entry('success', { stdin: request.query.stdin, tty: session.tty }));
      } catch (err) {
        log.error({ err: errorMessage(err) }, 'attach not audited; closing it');
        session.close();
        failAndClose(
          new BoundedSender(socket),
          new AppError(500, 'audit_failed', 'the audit entry could not be written'),
        );
        return;
      }
      serveAttach(socket, log, session, request.query.detachKeys);
    };
    start().catch((err: unknown) => {
      log.error({ err: errorMessage(err) }, 'attach failed');
      socket.close(StreamCloseCode.internalError, 'attach_failed');
    });
  };
}

/** `docker attach` as a stream. */
export function containerAttachRoutes(attach: ContainerAttachService, audit: AuditService) {
  return contractRoutes('attach', { terminal: attachHandler(attach, audit) });
}
