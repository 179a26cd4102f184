import {
  shellJoin,
  type LogLineView,
  type LogStreamQuery,
  type StateChange,
  type StackLogLine,
  type StackLogsPage,
  type StackLogsQuery,
} from '@berth/contract';
import { errorMessage } from '../../core/errors.js';
import type { EngineContainer } from '../../docker/container-summary.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { requireHost } from '../hosts/require-host.js';
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

type Window = Pick<LogStreamQuery, 'tail' | 'since' | 'until'>;

/** A container of the stack the stream has seen: its live stream's stop, null while none runs. */
interface Followed {
  stop: (() => void) | null;
  opening: boolean;
  /** The timestamp of its last line, where a restart resumes. */
  last: string | null;
}

const notice = (c: EngineContainer, text: string): StackLogLine => ({
  service: c.labels[LABEL.service] ?? c.name,
  container: c.name,
  stream: 'stderr',
  text,
  timestamp: null,
});

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
    private readonly hosts: EngineHosts,
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
    return { containers, wanted, cli: shellJoin(args) };
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

  /**
   * History of every container merged by time, then live lines as they come. The stack's
   * containers are watched in the host's engine state (its event feed, no polling): one that
   * starts after the stream opened (a recreate, a scale up, a restart) is followed too, a
   * removed one dropped. The stream follows the stack until the viewer leaves.
   */
  async follow(
    hostId: string,
    name: string,
    query: Query,
    viewer: Viewer<StackLogLine[]>,
  ): Promise<() => void> {
    const { containers, wanted } = await this.containers(hostId, name, query);
    if (containers.length === 0) {
      viewer.end('the stack has no containers');
      return () => undefined;
    }
    const state = requireHost(this.hosts, hostId).state;
    let held: StackLogLine[] | null = [];
    let closed = false;
    const followed = new Map<string, Followed>();
    const send = (lines: StackLogLine[]): void => {
      for (let i = 0; i < lines.length; i += BATCH) viewer.message(lines.slice(i, i + BATCH));
    };
    const open = async (c: EngineContainer, entry: Followed, window: Window): Promise<void> => {
      entry.opening = true;
      try {
        const stop = await this.streams.followLogs(
          hostId,
          c.id,
          { ...window, timestamps: true, stdout: true, stderr: true },
          {
            message: (batch) => {
              const lines = batch.map((line) => tagged(c, line));
              entry.last = lines.at(-1)?.timestamp ?? entry.last;
              if (held) held.push(...lines);
              else send(lines);
            },
            end: () => {
              entry.stop = null;
            },
          },
        );
        if (closed || followed.get(c.id) !== entry) stop();
        else entry.stop = stop;
      } finally {
        entry.opening = false;
      }
    };
    const ours = (c: EngineContainer): boolean =>
      c.labels[LABEL.project] === name &&
      (!wanted || wanted.includes(c.labels[LABEL.service] ?? ''));
    const changed = (change: StateChange): void => {
      if (closed || change.kind !== 'container') return;
      const known = followed.get(change.id);
      if (change.action === 'remove') {
        known?.stop?.();
        followed.delete(change.id);
        return;
      }
      const c = state.container(change.id);
      if (!c || !ours(c) || c.state !== 'running' || known?.stop || known?.opening) return;
      const entry = known ?? { stop: null, opening: false, last: null };
      followed.set(c.id, entry);
      // A new container's whole output is new; a restarted one resumes after its last line.
      const window: Window = entry.last ? { tail: 'all', since: entry.last } : { tail: 'all' };
      open(c, entry, window).catch((err: unknown) => {
        // Removed before its stream opened: its remove change drops it.
        if (!closed) viewer.message([notice(c, `logs not followed: ${errorMessage(err)}`)]);
      });
    };
    // A window that ends has nothing to follow.
    const unsubscribe = query.until ? () => undefined : state.onChange(changed);
    const stopAll = (): void => {
      closed = true;
      unsubscribe();
      for (const entry of followed.values()) entry.stop?.();
    };
    try {
      for (const c of containers) {
        const entry: Followed = { stop: null, opening: false, last: null };
        followed.set(c.id, entry);
        await open(c, entry, {
          tail: query.tail,
          ...(query.since ? { since: query.since } : {}),
          ...(query.until ? { until: query.until } : {}),
        });
      }
    } catch (err) {
      stopAll();
      throw err;
    }
    const history = held.sort(byTime);
    held = null;
    send(history);
    if (query.until) viewer.end(`history until ${query.until}`);
    return stopAll;
  }
}
