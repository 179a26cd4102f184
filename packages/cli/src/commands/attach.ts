import { api, DEFAULT_DETACH_KEYS, DetachKeys, ErrorBody } from '@berth/contract';
import type { Command } from 'commander';
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { change } from '../core/change.js';
import { sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import type { Session } from '../core/session.js';

export interface AttachOptions {
  detachKeys?: string;
  stdin: boolean;
  /**
   * Called once the server has attached (`started`), before input is read: `berth run`
   * attaches to a created container and starts it here, so none of its output is missed.
   */
  onAttached?: () => Promise<void>;
}

/** How the attach ended: detached (0), the container's exit code, or a failure. */
export type Ending = { detached: true } | { exitCode: number | null };

/** Reads the refusal of a WebSocket upgrade (a 403, a 404) as the one-line error it is. */
async function refusal(res: IncomingMessage): Promise<CliError> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let parsed: ReturnType<typeof ErrorBody.safeParse> | null = null;
  try {
    parsed = ErrorBody.safeParse(JSON.parse(text));
  } catch (err) {
    return new CliError(`the server refused to attach: HTTP ${res.statusCode} (${String(err)})`);
  }
  return parsed.success
    ? new CliError(`${parsed.data.error.code}: ${parsed.data.error.message}`)
    : new CliError(`the server refused to attach: HTTP ${res.statusCode}`);
}

/** stdout is a terminal that knows its size (a new pseudo-terminal may say 0 by 0). */
const sized = (): boolean =>
  process.stdout.isTTY && process.stdout.columns > 0 && process.stdout.rows > 0;

/**
 * Runs one attach: the socket's output to stdout/stderr, stdin (raw when the container has a
 * TTY and stdin is a terminal) to the socket, until the server says how it ended.
 */
export async function attachTo(
  session: Session,
  name: string,
  options: AttachOptions,
): Promise<Ending> {
  const endpoint = session.client.attach.terminal;
  const stdout = process.stdout;
  const query = {
    detachKeys: options.detachKeys ?? DEFAULT_DETACH_KEYS,
    stdin: options.stdin ? 'true' : 'false',
    ...(sized() ? { cols: stdout.columns, rows: stdout.rows } : {}),
  } as const;
  const socket: WebSocket = await session.socket(
    endpoint.url({ params: { host: session.host, id: name }, query }),
  );
  const stdin = process.stdin;
  let raw = false;
  let tty = false;
  const onInput = (chunk: Buffer): void => socket.send(chunk, { binary: true });
  const onEnd = (): void => socket.send(endpoint.encode({ type: 'close-stdin' }));
  const onResize = (): void => {
    if (sized())
      socket.send(endpoint.encode({ type: 'resize', cols: stdout.columns, rows: stdout.rows }));
  };
  const cleanup = (): void => {
    stdin.off('data', onInput);
    stdin.off('end', onEnd);
    stdout.off('resize', onResize);
    if (raw) stdin.setRawMode(false);
    // Read from, stdin would keep the process alive after the attach.
    stdin.destroy();
  };
  const pumpInput = (): void => {
    if (tty && stdout.isTTY) stdout.on('resize', onResize);
    if (!options.stdin) return;
    if (tty && stdin.isTTY) {
      stdin.setRawMode(true);
      raw = true;
    }
    stdin.on('data', onInput);
    stdin.on('end', onEnd);
    stdin.resume();
  };
  return new Promise<Ending>((resolve, reject) => {
    let ending: Ending | null = null;
    let failure: Error | null = null;
    const attached = (): void => {
      if (!options.onAttached) {
        pumpInput();
        return;
      }
      options.onAttached().then(
        () => {
          // Started only now: its terminal takes this one's size.
          if (tty) onResize();
          pumpInput();
        },
        (err: unknown) => {
          failure = err instanceof Error ? err : new CliError(String(err));
          socket.close();
        },
      );
    };
    socket.on('unexpected-response', (_req, res) => {
      refusal(res).then(reject, reject);
    });
    socket.on('error', (err) => {
      failure ??= new CliError(`cannot attach: ${err.message}`);
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        if (tty) stdout.write(data);
        else (data[0] === 2 ? process.stderr : stdout).write(data.subarray(1));
        return;
      }
      const message = endpoint.parse(data.toString('utf8'));
      switch (message.type) {
        case 'started':
          tty = message.tty;
          attached();
          return;
        case 'exit':
          ending = { exitCode: message.exitCode };
          return;
        case 'detached':
          ending = { detached: true };
          return;
        case 'error':
          failure = new CliError(`${message.code}: ${message.message}`);
          return;
      }
    });
    socket.on('close', (code, reason) => {
      cleanup();
      if (ending) resolve(ending);
      else
        reject(
          failure ??
            new CliError(`the attach ended without an exit code (${code} ${reason.toString()})`),
        );
    });
  });
}

export function registerAttach(program: Command): void {
  program
    .command('attach')
    .description("Attach this terminal to a running container's input and output")
    .argument('<name>', 'The container (name or id)')
    .option(
      '--detach-keys <keys>',
      `The key sequence that detaches, leaving the container running (default ${DEFAULT_DETACH_KEYS})`,
    )
    .option('--no-stdin', 'Do not send this terminal’s input to the container')
    .action(async (name: string, options: AttachOptions, command: Command) => {
      if (options.detachKeys !== undefined && !DetachKeys.safeParse(options.detachKeys).success)
        throw new UsageError(
          `--detach-keys "${options.detachKeys}": write keys as a comma-separated list, each a character or ctrl-<a-z, @, [, \\, ], ^, _>`,
        );
      const session = sessionOf(command);
      const keys = options.detachKeys ?? DEFAULT_DETACH_KEYS;
      const plan = {
        docker: [
          'docker',
          'attach',
          ...(keys !== DEFAULT_DETACH_KEYS ? ['--detach-keys', keys] : []),
          ...(options.stdin ? [] : ['--no-stdin']),
          name,
        ],
        route: api.attach.terminal,
        input: { params: { host: session.host, id: name }, query: { detachKeys: keys } },
      };
      const ending = await change(session, plan, () => attachTo(session, name, options));
      if (ending === null) return;
      if ('detached' in ending) {
        io.err('read escape sequence');
        return;
      }
      if (ending.exitCode === null) throw new CliError(`${name} exited; its exit code is unknown`);
      process.exitCode = ending.exitCode;
    });
}
