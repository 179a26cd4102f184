import { api, ExecStreamByte, type TerminalMessage } from '@berth/contract';
import type { Command } from 'commander';
import type WebSocket from 'ws';
import { exitQuietlyOnBrokenPipe, FlowingWriter } from '../core/broken-pipe.js';
import { change } from '../core/change.js';
import { collect, sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import type { Session } from '../core/session.js';
import { openStream } from '../core/stream-socket.js';

interface ExecOptions {
  interactive?: boolean;
  tty?: boolean;
  user?: string;
  workdir?: string;
  env?: string[];
}

/** The terminal route's query for these options (a TTY sized as this terminal is). */
function execQuery(command: string[], options: ExecOptions) {
  for (const e of options.env ?? [])
    if (!/^[^=]+=/.test(e)) throw new UsageError(`-e takes KEY=value (got "${e}")`);
  return {
    command,
    ...(options.env?.length ? { env: options.env } : {}),
    tty: String(options.tty === true) as 'true' | 'false',
    interactive: String(options.interactive === true) as 'true' | 'false',
    ...(options.user ? { user: options.user } : {}),
    ...(options.workdir ? { workingDir: options.workdir } : {}),
    // A new pseudo-terminal may not know its size yet (0): the server's default then.
    ...(options.tty && process.stdout.columns > 0 && process.stdout.rows > 0
      ? { cols: process.stdout.columns, rows: process.stdout.rows }
      : {}),
  };
}

function dockerArgv(name: string, command: string[], options: ExecOptions): string[] {
  return [
    'docker',
    'exec',
    ...(options.interactive ? ['--interactive'] : []),
    ...(options.tty ? ['--tty'] : []),
    ...(options.user ? ['--user', options.user] : []),
    ...(options.workdir ? ['--workdir', options.workdir] : []),
    ...(options.env ?? []).flatMap((e) => ['--env', e]),
    name,
    ...command,
  ];
}

/**
 * Sends this terminal's stdin to the command once it started (what the server reads before it
 * is listening would be lost); its end closes the command's stdin. In raw mode every key,
 * Ctrl-C included, goes to the command.
 */
function forwardStdin(socket: WebSocket, session: Session, raw: boolean): () => void {
  const stdin = process.stdin;
  if (raw) stdin.setRawMode(true);
  const endpoint = session.client.exec.terminal;
  stdin.on('data', (chunk: Buffer) => socket.send(chunk, { binary: true }));
  stdin.once('end', () => {
    if (socket.readyState === socket.OPEN) socket.send(endpoint.encode({ type: 'eof' }));
  });
  return () => {
    if (raw) stdin.setRawMode(false);
    stdin.destroy();
  };
}

/** Sends this terminal's size at the start and whenever it changes (SIGWINCH). */
function followResize(socket: WebSocket, session: Session): () => void {
  const send = (): void => {
    const { columns, rows } = process.stdout;
    if (columns > 0 && rows > 0 && socket.readyState === socket.OPEN)
      socket.send(session.client.exec.terminal.encode({ type: 'resize', cols: columns, rows }));
  };
  send();
  process.on('SIGWINCH', send);
  return () => process.off('SIGWINCH', send);
}

/** Runs the session to its end; answers the command's exit code. */
async function runSession(
  session: Session,
  socket: WebSocket,
  options: ExecOptions,
): Promise<number> {
  const endpoint = session.client.exec.terminal;
  const tty = options.tty === true;
  const writer = new FlowingWriter(socket);
  const cleanups: (() => void)[] = [];
  exitQuietlyOnBrokenPipe(() => {
    for (const undo of cleanups) undo();
    socket.terminate();
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      let exitCode: number | null = null;
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) {
          if (tty) writer.write(process.stdout, data);
          else
            writer.write(
              data[0] === ExecStreamByte.stderr ? process.stderr : process.stdout,
              data.subarray(1),
            );
          return;
        }
        const message: TerminalMessage = endpoint.parse(data.toString('utf8'));
        if (message.type === 'started') {
          if (options.interactive)
            cleanups.push(forwardStdin(socket, session, tty && process.stdin.isTTY === true));
          if (tty && process.stdout.isTTY) cleanups.push(followResize(socket, session));
        } else if (message.type === 'exit') exitCode = message.exitCode ?? 1;
        else reject(new CliError(`${message.code}: ${message.message}`));
      });
      if (!tty) {
        const interrupt = (): void => {
          socket.close(1000, 'interrupted');
          exitCode = 130;
        };
        process.on('SIGINT', interrupt);
        cleanups.push(() => process.off('SIGINT', interrupt));
      }
      socket.on('error', (err) => reject(new CliError(`the exec stream failed: ${err.message}`)));
      socket.on('close', () => {
        if (exitCode === null) reject(new CliError('the exec ended without an exit code'));
        else resolve(exitCode);
      });
      socket.resume();
    });
  } finally {
    for (const undo of cleanups) undo();
  }
}

export function registerExec(program: Command): void {
  program
    .command('exec')
    .description('Run a command in a running container (docker exec); its exit code is ours')
    .argument('<container>', 'Container name or id')
    .argument('<command...>', 'The command and its arguments (everything after the container)')
    .option('-i, --interactive', 'Send stdin to the command; its end closes the command’s stdin')
    .option('-t, --tty', 'Run in a terminal (raw mode here, resized with this window)')
    .option('-u, --user <user>', 'Run as this user (name, uid or uid:gid)')
    .option('-w, --workdir <dir>', 'Working directory inside the container')
    .option('-e, --env <key=value>', 'Set an environment variable (repeatable)', collect)
    .usage('[options] <container> [--] <command...>')
    .action(async (name: string, words: string[], options: ExecOptions, cmd: Command) => {
      const command = words[0] === '--' ? words.slice(1) : words;
      if (options.tty && options.interactive && !process.stdin.isTTY)
        throw new UsageError('-it needs a terminal on stdin: leave out -t to pipe input');
      const session = sessionOf(cmd);
      const endpoint = session.client.exec.terminal;
      const input = {
        params: { host: session.host, id: name },
        query: execQuery(command, options),
      };
      const exitCode = await change(
        session,
        { docker: dockerArgv(name, command, options), route: api.exec.terminal, input },
        async () => runSession(session, await openStream(session, endpoint.url(input)), options),
      );
      if (exitCode !== null) process.exitCode = exitCode;
    });
}
