import type { StackLogLine, StackLogsQuery } from '@berth/contract';
import type { Command } from 'commander';
import { collect, sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io, paint, type Colour } from '../core/io.js';
import type { Session } from '../core/session.js';
import { readStackSource } from './stack-files.js';

interface LogsOptions {
  file?: string[];
  name?: string;
  follow?: boolean;
  tail?: string;
  timestamps?: boolean;
  since?: string;
  until?: string;
}

const PALETTE: Colour[] = ['blue', 'green', 'yellow', 'red', 'bold'];

/** compose's prefix: `service | `, padded to the longest service, a colour each on a terminal. */
class Prefixer {
  private readonly colours = new Map<string, Colour>();
  private width = 0;

  constructor(private readonly timestamps: boolean) {}

  /** Pads to the longest of these services from the first line on. */
  widen(services: string[]): void {
    this.width = Math.max(this.width, ...services.map((s) => s.length));
  }

  line(l: StackLogLine): string {
    this.width = Math.max(this.width, l.service.length);
    let colour = this.colours.get(l.service);
    if (!colour) {
      colour = PALETTE[this.colours.size % PALETTE.length] ?? 'blue';
      this.colours.set(l.service, colour);
    }
    const time = this.timestamps && l.timestamp ? `${l.timestamp} ` : '';
    return `${paint(colour, `${l.service.padEnd(this.width)} |`)} ${time}${l.text}`;
  }
}

function tailOf(value: string | undefined): StackLogsQuery['tail'] {
  if (value === undefined) return 100;
  if (value === 'all') return 'all';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError('--tail must be a number or "all"');
  return n;
}

async function follow(
  session: Session,
  name: string,
  query: StackLogsQuery,
  prefix: Prefixer,
): Promise<void> {
  const endpoint = session.client.stacks.followLogs;
  const socket = await session.socket(
    endpoint.url({ params: { host: session.host, name }, query }),
  );
  return new Promise((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const message = endpoint.parse(data.toString('utf8'));
      if (message.type === 'lines') for (const l of message.lines) io.out(prefix.line(l));
      else if (message.type === 'dropped')
        io.err(`(${message.count} lines dropped: this terminal fell behind)`);
      else if (message.type === 'error') reject(new CliError(message.message));
      else socket.close();
    });
    socket.on('unexpected-response', (_req, res) =>
      reject(new CliError(`the logs stream was refused: HTTP ${res.statusCode ?? '?'}`)),
    );
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

/** `berth stack logs [-f] [--tail N] [SERVICE…]`: merged by time, prefixed with the service. */
export function registerStackLogs(logs: Command): void {
  logs
    .description("Every service's logs, merged by time (docker compose logs)")
    .argument('[services...]', 'Only these services')
    .option('--file <path>', 'A compose file naming the stack (twice: with its override)', collect)
    .option('-p, --name <name>', "The stack (default: the files' name:, else their folder)")
    .option('-f, --follow', 'Go on printing new lines until interrupted')
    .option('-n, --tail <lines>', 'Lines from the end of each container, or "all"', '100')
    .option('-t, --timestamps', 'Show the time of each line')
    .option('--since <time>', 'Lines since then: unix seconds or ISO 8601')
    .option('--until <time>', 'Lines until then (a follow then ends there)')
    .action(async (services: string[], options: LogsOptions, command: Command) => {
      const source = readStackSource({ ...options, file: options.file });
      const session = sessionOf(command);
      const query: StackLogsQuery = {
        tail: tailOf(options.tail),
        ...(options.since ? { since: options.since } : {}),
        ...(options.until ? { until: options.until } : {}),
        ...(services.length > 0 ? { services: services.join(',') } : {}),
      };
      const prefix = new Prefixer(options.timestamps === true);
      const params = { host: session.host, name: source.name };
      if (options.follow) {
        const detail = await session.client.stacks.get({ params });
        prefix.widen(services.length > 0 ? services : detail.services.map((s) => s.name));
        await follow(session, source.name, query, prefix);
        return;
      }
      const page = await session.client.stacks.logs({ params, query });
      prefix.widen(page.lines.map((l) => l.service));
      for (const l of page.lines) io.out(prefix.line(l));
    });
}
