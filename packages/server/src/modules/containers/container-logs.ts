import type { LogLineView, LogsQuery } from '@berth/contract';
import type { ContainersApi } from '../../docker/containers-api.js';
import { shellJoin, shellQuote } from '@berth/contract';
import { demuxLines } from '../../docker/log-stream.js';
import type { ContainersService } from './containers-service.js';

/** The last `tail` lines a container wrote (stdout and stderr), without following. */
export async function readLogLines(
  api: ContainersApi,
  id: string,
  tail: number,
): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of logLines(api, id, {
    tail: String(tail),
    timestamps: false,
    stdout: true,
    stderr: true,
  })) {
    lines.push(line.text);
  }
  return lines;
}

/** A contract time (Unix seconds or ISO 8601) as the engine's Unix seconds. */
export function toSeconds(time: string | undefined): number | undefined {
  if (time === undefined) return undefined;
  return /^\d+(\.\d+)?$/.test(time) ? Number(time) : Math.floor(Date.parse(time) / 1000);
}

async function* logLines(
  api: ContainersApi,
  id: string,
  options: {
    tail: string;
    since?: number;
    until?: number;
    timestamps: boolean;
    stdout: boolean;
    stderr: boolean;
  },
): AsyncGenerator<LogLineView> {
  const inspect = await api.inspect(id);
  const res = await api.logs(id, { follow: false, ...options });
  for await (const line of demuxLines(res, inspect.Config.Tty === true)) {
    if (!options.timestamps) {
      yield { stream: line.stream, text: line.text, timestamp: null };
      continue;
    }
    // With timestamps the engine puts an RFC 3339 time and a space before each line.
    const space = line.text.indexOf(' ');
    yield {
      stream: line.stream,
      text: line.text.slice(space + 1),
      timestamp: line.text.slice(0, space),
    };
  }
}

/** Log history: the engine's selection (tail, since, until, streams) plus a text filter. */
export class ContainerLogsService {
  constructor(private readonly containers: ContainersService) {}

  async open(
    hostId: string,
    ref: string,
    query: LogsQuery,
  ): Promise<{ name: string; lines: AsyncGenerator<LogLineView>; cli: string }> {
    const { api, id, name } = await this.containers.resolve(hostId, ref);
    const since = toSeconds(query.since);
    const until = toSeconds(query.until);
    const lines = logLines(api, id, {
      tail: String(query.tail),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      timestamps: query.timestamps,
      stdout: query.stdout,
      stderr: query.stderr,
    });
    const filter = query.filter;
    const filtered = filter ? onlyMatching(lines, filter) : lines;
    const args = [
      'docker',
      'logs',
      ...(query.tail !== 'all' ? ['--tail', String(query.tail)] : []),
      ...(query.since ? ['--since', query.since] : []),
      ...(query.until ? ['--until', query.until] : []),
      ...(query.timestamps ? ['--timestamps'] : []),
      name,
    ];
    const redirect = !query.stdout ? ' 1>/dev/null' : !query.stderr ? ' 2>/dev/null' : '';
    const grep = filter ? ` 2>&1 | grep --fixed-strings ${shellQuote(filter)}` : '';
    return { name, lines: filtered, cli: shellJoin(args) + redirect + grep };
  }
}

async function* onlyMatching(
  lines: AsyncGenerator<LogLineView>,
  text: string,
): AsyncGenerator<LogLineView> {
  for await (const line of lines) if (line.text.includes(text)) yield line;
}
