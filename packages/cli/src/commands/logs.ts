import { LogTime, parseGoDuration, type LogLineView, type LogsMessage } from '@berth/contract';
import type { Command } from 'commander';
import { exitQuietlyOnBrokenPipe, FlowingWriter } from '../core/broken-pipe.js';
import { sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import type { Session } from '../core/session.js';
import { openStream } from '../core/stream-socket.js';

interface LogsOptions {
  follow?: boolean;
  since?: string;
  until?: string;
  tail?: string;
  timestamps?: boolean;
  stdoutOnly?: boolean;
  stderrOnly?: boolean;
}

/**
 * A time as docker logs takes it: unix seconds or an ISO date-time as they are, or a duration
 * ("10m", "1h30m") before now, as unix seconds.
 */
export function logTime(
  value: string | undefined,
  now = Date.now(),
  flag = '--since',
): string | undefined {
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  const ns = parseGoDuration(value);
  if (ns !== null) return String(Math.floor((now - ns / 1e6) / 1000));
  if (!LogTime.safeParse(value).success)
    throw new UsageError(
      `${flag} "${value}": give a duration (10m, 1h30m), unix seconds or an ISO 8601 time`,
    );
  return value;
}

function logsQuery(options: LogsOptions) {
  if (options.stdoutOnly && options.stderrOnly)
    throw new UsageError('--stdout-only and --stderr-only exclude each other');
  const tail = options.tail ?? 'all';
  if (tail !== 'all' && !/^\d+$/.test(tail))
    throw new UsageError(`--tail takes a number of lines or "all" (got "${tail}")`);
  const since = logTime(options.since, Date.now(), '--since');
  const until = logTime(options.until, Date.now(), '--until');
  return {
    tail: tail === 'all' ? ('all' as const) : Number(tail),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    timestamps: String(options.timestamps === true) as 'true' | 'false',
    stdout: String(options.stderrOnly !== true) as 'true' | 'false',
    stderr: String(options.stdoutOnly !== true) as 'true' | 'false',
  };
}

/** A line as the container wrote it, to the CLI's stdout or stderr as it was written to. */
function lineText(line: LogLineView): string {
  return `${line.timestamp !== null ? `${line.timestamp} ` : ''}${line.text}\n`;
}

const streamOf = (line: LogLineView): NodeJS.WriteStream =>
  line.stream === 'stderr' ? process.stderr : process.stdout;

async function printSnapshot(session: Session, name: string, options: LogsOptions): Promise<void> {
  const page = await session.client.logs.get({
    params: { host: session.host, id: name },
    query: logsQuery(options),
  });
  exitQuietlyOnBrokenPipe();
  for (const line of page.lines) streamOf(line).write(lineText(line));
}

/** Follows the logs stream: history, then live lines, until the server ends it or Ctrl-C. */
async function follow(session: Session, name: string, options: LogsOptions): Promise<void> {
  const endpoint = session.client.logs.follow;
  const socket = await openStream(
    session,
    endpoint.url({ params: { host: session.host, id: name }, query: logsQuery(options) }),
  );
  exitQuietlyOnBrokenPipe(() => socket.terminate());
  const writer = new FlowingWriter(socket);
  await new Promise<void>((resolve, reject) => {
    process.once('SIGINT', () => {
      socket.close(1000, 'interrupted');
      resolve();
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const message: LogsMessage = endpoint.parse(data.toString('utf8'));
      if (message.type === 'lines')
        for (const line of message.lines) writer.write(streamOf(line), lineText(line));
      else if (message.type === 'dropped')
        io.err(`berth: ${message.count} lines dropped (this terminal fell behind)`);
      else if (message.type === 'error')
        reject(new CliError(`${message.code}: ${message.message}`));
      else socket.close(1000, message.reason);
    });
    socket.on('error', (err) => reject(new CliError(`the log stream failed: ${err.message}`)));
    socket.on('close', () => resolve());
    socket.resume();
  });
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("Print a container's logs: stdout to stdout, stderr to stderr (docker logs)")
    .argument('<container>', 'Container name or id')
    .option('-f, --follow', 'Keep printing new lines')
    .option('--since <time>', 'Only lines since a time: 10m, 2h, unix seconds or ISO 8601')
    .option('--until <time>', 'Only lines before a time: 10m, 2h, unix seconds or ISO 8601')
    .option('-n, --tail <lines>', 'Lines from the end, or "all"', 'all')
    .option('-t, --timestamps', 'Start each line with its time')
    .option('--stdout-only', 'Only what the container wrote to stdout')
    .option('--stderr-only', 'Only what the container wrote to stderr')
    .action(async (name: string, options: LogsOptions, command: Command) => {
      const session = sessionOf(command);
      if (options.follow) await follow(session, name, options);
      else await printSnapshot(session, name, options);
    });
}
