import {
  shellJoin,
  type LogLineView,
  type StackLogLine,
  type StackLogsPage,
  type StackLogsQuery,
} from '@berth/contract';
import type { EngineContainer } from '../../docker/container-summary.js';
import type { ContainerLogsService } from '../containers/container-logs.js';
import {
  sortableTime,
  type ContainerStreamsService,
  type Viewer,
} from '../containers/container-streams.js';
import type { StackCatalog } from './stack-catalog.js';
import { LABEL } from './stack-states.js';

type Query = StackLogsQuery;

const BATCH = 250;

const byTime = (a: StackLogLine, b: StackLogLine): number => {
  const ta = sortableTime(a.timestamp ?? '');
  const tb = sortableTime(b.timestamp ?? '');
  return ta < tb ? -1 : ta > tb ? 1 : 0;
};

const tagged = (c: EngineContainer, line: LogLineView): StackLogLine => ({
  service: c.labels[LABEL.service] ?? c.name,
  container: c.name,
  stream: line.stream,
  text: line.text,
  timestamp: line.timestamp,
});

/**
 * A stack's logs: every service's containers merged by time. Live lines come from the one
 * shared engine stream per container (ContainerStreamsService), never a stream per viewer.
 */
export class StackLogs {
  constructor(
    private readonly catalog: StackCatalog,
    private readonly logs: ContainerLogsService,
    private readonly streams: ContainerStreamsService,
  ) {}

  private async containers(hostId: string, name: string, query: Query) {
    const location = await this.catalog.require(hostId, name);
    const wanted = query.services
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const containers = (location.engine?.containers ?? []).filter(
      (c) => !wanted || wanted.includes(c.labels[LABEL.service] ?? ''),
    );
    const args = [
      'docker',
      'compose',
      '-p',
      name,
      'logs',
      '--timestamps',
      ...(query.tail !== 'all' ? ['--tail', String(query.tail)] : []),
      ...(query.since ? ['--since', query.since] : []),
      ...(query.until ? ['--until', query.until] : []),
      ...(wanted ?? []),
    ];
    return { containers, cli: shellJoin(args) };
  }

  async page(hostId: string, name: string, query: Query): Promise<StackLogsPage> {
    const { containers, cli } = await this.containers(hostId, name, query);
    const all = await Promise.all(
      containers.map(async (c) => {
        const opened = await this.logs.open(hostId, c.id, {
          tail: query.tail,
          ...(query.since ? { since: query.since } : {}),
          ...(query.until ? { until: query.until } : {}),
          timestamps: true,
          stdout: true,
          stderr: true,
        });
        const lines: StackLogLine[] = [];
        for await (const line of opened.lines) lines.push(tagged(c, line));
        return lines;
      }),
    );
    return { lines: all.flat().sort(byTime), cli };
  }

  /** History of every container merged by time, then live lines as they come. */
  async follow(
    hostId: string,
    name: string,
    query: Query,
    viewer: Viewer<StackLogLine[]>,
  ): Promise<() => void> {
    const { containers } = await this.containers(hostId, name, query);
    if (containers.length === 0) {
      viewer.end('the stack has no containers');
      return () => undefined;
    }
    let held: StackLogLine[] | null = [];
    let open = containers.length;
    const stops: (() => void)[] = [];
    const send = (lines: StackLogLine[]): void => {
      for (let i = 0; i < lines.length; i += BATCH) viewer.message(lines.slice(i, i + BATCH));
    };
    const ended = (reason: string): void => {
      open -= 1;
      if (open === 0 && held === null)
        viewer.end(containers.length > 1 ? 'every container stopped' : reason);
    };
    try {
      for (const c of containers) {
        const stop = await this.streams.followLogs(
          hostId,
          c.id,
          {
            tail: query.tail,
            ...(query.since ? { since: query.since } : {}),
            ...(query.until ? { until: query.until } : {}),
            timestamps: true,
            stdout: true,
            stderr: true,
          },
          {
            message: (batch) => {
              const lines = batch.map((line) => tagged(c, line));
              if (held) held.push(...lines);
              else send(lines);
            },
            end: ended,
          },
        );
        stops.push(stop);
      }
    } catch (err) {
      for (const stop of stops) stop();
      throw err;
    }
    const history = held.sort(byTime);
    held = null;
    send(history);
    if (open === 0)
      viewer.end(containers.length > 1 ? 'every container stopped' : 'the container stopped');
    return () => {
      for (const stop of stops) stop();
    };
  }
}
