import type { Duplex } from 'node:stream';
import { type ExecResult, type ExecRun, type ExecTerminalQuery, shellJoin } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { ContainersApi } from '../../docker/containers-api.js';
import { demuxFrames } from '../../docker/log-stream.js';
import type { ContainersService } from './containers-service.js';

const MAX_OUTPUT_BYTES = 1024 * 1024;
const SHELLS = ['/bin/bash', '/usr/bin/bash', '/bin/sh', '/usr/bin/sh'];

export interface TerminalSession {
  socket: Duplex;
  command: string[];
  /** A TTY: one raw stream; else the engine's multiplexed stdout/stderr frames. */
  tty: boolean;
  cli: string;
  resize(cols: number, rows: number): Promise<void>;
  /** The exit code once the process has ended (null if the engine does not know). */
  exitCode(): Promise<number | null>;
}

function execCli(
  name: string,
  command: string[],
  options: {
    tty: boolean;
    interactive?: boolean;
    user?: string;
    workingDir?: string;
    env?: Record<string, string>;
  },
): string {
  return shellJoin([
    'docker',
    'exec',
    ...(options.interactive || options.tty ? ['--interactive'] : []),
    ...(options.tty ? ['--tty'] : []),
    ...(options.user ? ['--user', options.user] : []),
    ...(options.workingDir ? ['--workdir', options.workingDir] : []),
    ...Object.entries(options.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    name,
    ...command,
  ]);
}

/** Commands inside containers: one-off runs with their output, and interactive terminals. */
export class ContainerExecService {
  constructor(private readonly containers: ContainersService) {}

  async run(hostId: string, ref: string, input: ExecRun): Promise<ExecResult> {
    const { api, id, name } = await this.running(hostId, ref);
    const execId = await api.execCreate(id, {
      Cmd: input.command,
      ...(input.user ? { User: input.user } : {}),
      ...(input.workingDir ? { WorkingDir: input.workingDir } : {}),
      Env: Object.entries(input.env ?? {}).map(([k, v]) => `${k}=${v}`),
      Tty: false,
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
    });
    const { socket, head } = await api.execStart(execId, false);
    const out: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
    const size = { stdout: 0, stderr: 0 };
    let truncated = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, input.timeoutS * 1000);
    try {
      if (head.length > 0) socket.unshift(head);
      for await (const frame of demuxFrames(socket, false)) {
        const room = MAX_OUTPUT_BYTES - size[frame.stream];
        if (room <= 0) {
          truncated = true;
          continue;
        }
        const part = frame.data.length > room ? frame.data.subarray(0, room) : frame.data;
        truncated ||= part.length < frame.data.length;
        out[frame.stream].push(part);
        size[frame.stream] += part.length;
      }
    } catch (err) {
      if (!timedOut) throw err;
    } finally {
      clearTimeout(timer);
    }
    const exit = await api.execInspect(execId);
    return {
      exitCode: exit.Running ? null : exit.ExitCode,
      stdout: Buffer.concat(out.stdout).toString('utf8'),
      stderr: Buffer.concat(out.stderr).toString('utf8'),
      truncated,
      timedOut,
      cli: execCli(name, input.command, { tty: false, ...input }),
    };
  }

  /**
   * Opens a session running `command`, else `shell`, else bash when the container has it, else
   * sh: a TTY (one raw stream) or, with `tty: false`, stdout and stderr apart (multiplexed).
   */
  async terminal(
    hostId: string,
    ref: string,
    options: ExecTerminalQuery,
  ): Promise<TerminalSession> {
    const { api, id, name } = await this.running(hostId, ref);
    const command = options.command ?? [options.shell ?? (await this.detectShell(api, id))];
    const env = options.env ?? [];
    const execId = await api.execCreate(id, {
      Cmd: command,
      ...(options.user ? { User: options.user } : {}),
      ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
      Env:
        options.tty && !env.some((e) => e.startsWith('TERM='))
          ? ['TERM=xterm-256color', ...env]
          : env,
      Tty: options.tty,
      AttachStdin: options.tty || options.interactive,
      AttachStdout: true,
      AttachStderr: true,
    });
    const { socket, head } = await api.execStart(execId, options.tty);
    if (head.length > 0) socket.unshift(head);
    if (options.tty)
      await api.execResize(execId, options.cols, options.rows).catch(() => undefined);
    return {
      socket,
      command,
      tty: options.tty,
      cli: execCli(name, command, {
        ...options,
        interactive: options.tty || options.interactive,
        env: Object.fromEntries(
          env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
        ),
      }),
      resize: (cols, rows) => api.execResize(execId, cols, rows),
      exitCode: () => this.exitCode(api, execId),
    };
  }

  /**
   * The exit code of an ended exec. The engine may close the stream a moment before it marks
   * the exec ended, so a Running answer is asked again (briefly) before it counts as unknown.
   */
  private async exitCode(api: ContainersApi, execId: string): Promise<number | null> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const exit = await api.execInspect(execId);
      if (!exit.Running) return exit.ExitCode;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return null;
  }

  private async running(
    hostId: string,
    ref: string,
  ): Promise<{ api: ContainersApi; id: string; name: string }> {
    const target = await this.containers.resolve(hostId, ref);
    const inspect = await target.api.inspect(target.id);
    if (!inspect.State.Running || inspect.State.Paused) {
      throw AppError.conflict(
        'container_not_running',
        `${target.name} is ${inspect.State.Status}: start it first`,
      );
    }
    return target;
  }

  private async detectShell(api: ContainersApi, id: string): Promise<string> {
    for (const shell of SHELLS) if (await api.pathExists(id, shell)) return shell;
    throw AppError.badRequest('no_shell', 'This container has no bash or sh; name a shell to run');
  }
}
