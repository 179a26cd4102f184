import type { ContainerStats, LogLineView, LogStreamQuery } from '@berth/contract';
import { runDetached } from '../../core/detached.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { computeStats, type RawStats } from '../../docker/container-stats.js';
import type { ContainersApi } from '../../docker/containers-api.js';
import { demuxLineBatches } from '../../docker/log-stream.js';
import { readNdjson } from '../../docker/ndjson.js';
import { SharedStreams, type Upstream } from '../../docker/shared-streams.js';
import { toSeconds } from './container-logs.js';
import type { ContainersService } from './containers-service.js';

export interface Viewer<T> {
  message(value: T): void;
  end(reason: string): void;
  /**
   * Resolves once the viewer can take more. A viewer's own history is read no faster than it
   * is sent (a slow socket holds the engine's answer back rather than lose lines); live lines
   * do not wait for it (one slow viewer must not hold back the others).
   */
  ready?(): Promise<void>;
}

const MAX_LINE_CHARS = 16 * 1024;
const MAX_PENDING_LIVE = 10_000;
/** A batch never grows past this, so a viewer's bounded queue always holds several. */
const MAX_BATCH_LINES = 250;

/** RFC 3339 with nanoseconds, fraction padded, so that two times compare as strings. */
export function sortableTime(ts: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-].*)$/.exec(ts);
  return match ? `${match[1] ?? ''}.${(match[2] ?? '').padEnd(9, '0')}${match[3] ?? ''}` : ts;
}

function splitTimestamp(stream: 'stdout' | 'stderr', raw: string): LogLineView {
  const space = raw.indexOf(' ');
  const text = raw.slice(space + 1);
  return {
    stream,
    text: text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text,
    timestamp: raw.slice(0, space),
  };
}

/**
 * What one viewer sees of a batch (its streams, its filter, timestamps or not). Viewers that
 * asked for the same get the very same array, computed once per batch, so the route can
 * serialise it once for all of them.
 */
function logSelection(query: LogStreamQuery): (batch: LogLineView[]) => LogLineView[] {
  const key = `${query.stdout}|${query.stderr}|${query.timestamps}|${query.filter ?? ''}`;
  const everything = query.stdout && query.stderr && !query.filter;
  const compute = (batch: LogLineView[]): LogLineView[] => {
    const wanted = everything
      ? batch
      : batch.filter(
          (line) =>
            (line.stream === 'stdout' ? query.stdout : query.stderr) &&
            (!query.filter || line.text.includes(query.filter)),
        );
    return query.timestamps ? wanted : wanted.map((line) => ({ ...line, timestamp: null }));
  };
  return (batch) => {
    let views = selections.get(batch);
    if (!views) {
      views = new Map();
      selections.set(batch, views);
    }
    let view = views.get(key);
    if (!view) {
      view = compute(batch);
      views.set(key, view);
    }
    return view;
  };
}
const selections = new WeakMap<LogLineView[], Map<string, LogLineView[]>>();

/**
 * Live logs and stats. Each container has one upstream engine stream per kind, shared by all
 * viewers (SharedStreams) and stopped when the last one leaves; every viewer first gets its own
 * history, then joins the live stream without gaps or repeats (lines are ordered by timestamp).
 */
export class ContainerStreamsService {
  readonly logs = new SharedStreams<LogLineView[]>();
  readonly stats = new SharedStreams<ContainerStats>();

  constructor(
    private readonly containers: ContainersService,
    private readonly logger: Logger,
  ) {}

  async followLogs(
    hostId: string,
    ref: string,
    query: LogStreamQuery,
    viewer: Viewer<LogLineView[]>,
  ): Promise<() => void> {
    const { api, id, host } = await this.containers.resolve(hostId, ref);
    const tty = (await api.inspect(id)).Config.Tty === true;
    const select = logSelection(query);
    const since = toSeconds(query.since);
    const until = toSeconds(query.until);
    const history = { tail: String(query.tail), since, until };
    // A window that ends has nothing to follow: its history, then the end.
    if (until !== undefined) {
      await this.sendHistory(api, id, tty, history, select, viewer);
      viewer.end(`history until ${query.until ?? ''}`);
      return () => undefined;
    }

    let historyDone = false;
    let lastSeen = '';
    const pending: LogLineView[][] = [];
    let pendingLines = 0;
    // The upstream of a stopped container ends at once: its end waits for the history.
    let endedEarly: string | null = null;
    const live: Viewer<LogLineView[]> = {
      message: (batch) => {
        if (!historyDone) {
          if (pendingLines < MAX_PENDING_LIVE) pending.push(batch);
          pendingLines += batch.length;
          return;
        }
        const shown = select(batch);
        if (shown.length > 0) viewer.message(shown);
      },
      end: (reason) => {
        if (historyDone) viewer.end(reason);
        else endedEarly = reason;
      },
    };
    const unsubscribe = this.logs.subscribe(
      `${host.id}/${id}`,
      (emit, end) => this.logUpstream(api, id, tty, emit, end),
      live,
    );
    try {
      lastSeen = await this.sendHistory(api, id, tty, history, select, viewer);
    } catch (err) {
      unsubscribe();
      throw err;
    }
    historyDone = true;
    for (const batch of pending.splice(0)) {
      const newer = batch.filter((line) => sortableTime(line.timestamp ?? '') > lastSeen);
      const shown = select(newer);
      if (shown.length > 0) viewer.message(shown);
    }
    if (endedEarly !== null) viewer.end(endedEarly);
    return unsubscribe;
  }

  /** The viewer's own history (its tail, since, until); returns the last line's time. */
  private async sendHistory(
    api: ContainersApi,
    id: string,
    tty: boolean,
    window: { tail: string; since: number | undefined; until: number | undefined },
    select: (batch: LogLineView[]) => LogLineView[],
    viewer: Viewer<LogLineView[]>,
  ): Promise<string> {
    let lastSeen = '';
    const res = await api.logs(id, {
      follow: false,
      tail: window.tail,
      ...(window.since !== undefined ? { since: window.since } : {}),
      ...(window.until !== undefined ? { until: window.until } : {}),
      timestamps: true,
      stdout: true,
      stderr: true,
    });
    for await (const raw of demuxLineBatches(res, tty)) {
      const batch = raw.map((line) => splitTimestamp(line.stream, line.text));
      lastSeen = sortableTime(batch.at(-1)?.timestamp ?? '');
      const shown = select(batch);
      if (shown.length > 0) {
        viewer.message(shown);
        await viewer.ready?.();
      }
    }
    return lastSeen;
  }

  async followStats(
    hostId: string,
    ref: string,
    viewer: Viewer<ContainerStats>,
  ): Promise<() => void> {
    const { api, id, host } = await this.containers.resolve(hostId, ref);
    return this.stats.subscribe(
      `${host.id}/${id}`,
      (emit, end) => this.statsUpstream(api, id, emit, end),
      viewer,
    );
  }

  async statsOnce(hostId: string, ref: string): Promise<ContainerStats> {
    const { api, id } = await this.containers.resolve(hostId, ref);
    const res = await api.stats(id, false);
    for await (const raw of readNdjson<RawStats>(res)) return computeStats(raw);
    throw new Error('the engine sent no stats');
  }

  /** The shared streams by kind (what the Prometheus endpoint counts). */
  shared(): { logs: SharedStreams<LogLineView[]>; stats: SharedStreams<ContainerStats> } {
    return { logs: this.logs, stats: this.stats };
  }

  stopAll(): void {
    this.logs.stopAll();
    this.stats.stopAll();
  }

  private logUpstream(
    api: ContainersApi,
    id: string,
    tty: boolean,
    emit: (lines: LogLineView[]) => void,
    end: (reason: string) => void,
  ): Upstream {
    const abort = new AbortController();
    const follow = async (): Promise<void> => {
      try {
        const res = await api.logs(
          id,
          { follow: true, tail: '0', timestamps: true, stdout: true, stderr: true },
          abort.signal,
        );
        // Lines read in one turn of the event loop go out as one batch: under load that is
        // many lines per message, when quiet a line is sent as soon as it is read.
        let batch: LogLineView[] = [];
        let scheduled = false;
        const flush = (): void => {
          scheduled = false;
          if (batch.length === 0) return;
          const full = batch;
          batch = [];
          emit(full);
        };
        for await (const raw of demuxLineBatches(res, tty)) {
          for (const line of raw) batch.push(splitTimestamp(line.stream, line.text));
          if (batch.length >= MAX_BATCH_LINES) flush();
          else if (!scheduled) {
            scheduled = true;
            setImmediate(flush);
          }
        }
        flush();
        end('the container stopped');
      } catch (err) {
        if (!abort.signal.aborted) end(`log stream failed: ${errorMessage(err)}`);
      }
    };
    runDetached(follow(), this.logger, { container: id }, 'log stream viewers not told it ended');
    return { stop: () => abort.abort() };
  }

  private statsUpstream(
    api: ContainersApi,
    id: string,
    emit: (stats: ContainerStats) => void,
    end: (reason: string) => void,
  ): Upstream {
    const abort = new AbortController();
    const follow = async (): Promise<void> => {
      try {
        const res = await api.stats(id, true, abort.signal);
        for await (const raw of readNdjson<RawStats>(res)) emit(computeStats(raw));
        end('the stats stream ended');
      } catch (err) {
        if (!abort.signal.aborted) end(`stats stream failed: ${errorMessage(err)}`);
      }
    };
    runDetached(follow(), this.logger, { container: id }, 'stats viewers not told it ended');
    return { stop: () => abort.abort() };
  }
}
