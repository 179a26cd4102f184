import type { Duplex } from 'node:stream';
import { type AttachQuery, DEFAULT_DETACH_KEYS, detachKeyBytes, shellJoin } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { demuxFrames, type StreamKind } from '../../docker/log-stream.js';
import type { ContainersService } from './containers-service.js';
import { DetachKeysReader } from './detach-keys.js';

/** A session attached to a running container's main process. */
export interface AttachSession {
  tty: boolean;
  cli: string;
  /** The container's output as it comes: raw with a TTY, else demultiplexed. */
  output: AsyncIterable<{ stream: StreamKind; data: Buffer }>;
  /** Passes input on, holding back the detach sequence; true once it has been read. */
  input(data: Buffer): boolean;
  /** The client's input ended: the container's stdin is closed (as `docker attach` on EOF). */
  closeInput(): void;
  resize(cols: number, rows: number): Promise<void>;
  /** The exit code once the container has exited (null if the wait failed). */
  exitCode(): Promise<number | null>;
  /** Leaves the container running: the attach and the wait end. */
  close(): void;
}

function attachCli(name: string, query: AttachQuery): string {
  return shellJoin([
    'docker',
    'attach',
    ...(query.detachKeys !== DEFAULT_DETACH_KEYS ? ['--detach-keys', query.detachKeys] : []),
    ...(query.stdin ? [] : ['--no-stdin']),
    name,
  ]);
}

/** `docker attach`: a running (or created, not yet started) container's stdin, stdout and stderr. */
export class ContainerAttachService {
  constructor(private readonly containers: ContainersService) {}

  async attach(hostId: string, ref: string, query: AttachQuery): Promise<AttachSession> {
    const { api, id, name } = await this.containers.resolve(hostId, ref);
    const inspect = await api.inspect(id);
    // A created container may be attached before it starts (as `docker run` does), so none
    // of its output is missed; the exit wait below is registered before that start.
    const created = inspect.State.Status === 'created';
    if (!created && (!inspect.State.Running || inspect.State.Paused)) {
      throw AppError.conflict(
        'container_not_running',
        `${name} is ${inspect.State.Status}: start it first`,
      );
    }
    const tty = inspect.Config.Tty === true;
    // The wait starts first, so an exit right after attaching is still seen.
    const stop = new AbortController();
    const wait = await api.waitNextExit(id, stop.signal);
    const exitCode = wait.exitCode.then(
      (code) => code,
      () => null,
    );
    let attached: { socket: Duplex; head: Buffer };
    try {
      attached = await api.attach(id, { stdin: query.stdin, detachKeys: query.detachKeys });
    } catch (err) {
      stop.abort();
      throw err;
    }
    const { socket, head } = attached;
    if (head.length > 0) socket.unshift(head);
    const reader = new DetachKeysReader(detachKeyBytes(query.detachKeys));
    // A created container has no terminal to resize yet: its client resizes once started.
    if (tty && !created && query.cols !== undefined && query.rows !== undefined)
      await api.resize(id, query.cols, query.rows).catch(() => undefined);
    return {
      tty,
      cli: attachCli(name, query),
      output: demuxFrames(socket, tty),
      input: (data) => {
        if (!query.stdin) return false;
        const { forward, detached } = reader.feed(data);
        if (forward.length > 0) socket.write(forward);
        return detached;
      },
      closeInput: () => {
        if (query.stdin) socket.end();
      },
      resize: (cols, rows) => (tty ? api.resize(id, cols, rows) : Promise.resolve()),
      exitCode: () => exitCode,
      close: () => {
        stop.abort();
        socket.destroy();
      },
    };
  }
}
