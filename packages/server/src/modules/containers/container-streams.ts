import type { ContainerStats, LogLineView, LogStreamQuery } from '@berth/contract';
import { runDetached } from '../../core/detached.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { computeStats, type RawStats } from '../../docker/container-stats.js';
import type { ContainersApi } from '../../docker/containers-api.js';
import { demuxLines } from '../../docker/log-stream.js';
import { readNdjson } from '../../docker/ndjson.js';
import { SharedStreams, type Upstream } from '../../docker/shared-streams.js';
import type { ContainersService } from './containers-service.js';

export interface Viewer<T> {
  message(value: T): void;
  end(reason: string): void;
}

const MAX_LINE_CHARS = 16 * 1024;
const MAX_PENDING_LIVE = 10_000;

/** RFC 3339 with nanoseconds, fraction padded, so that two times compare as strings. */
function sortableTime(ts: string): string {
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
 * Live logs and stats. Each container has one upstream engine stream per kind, shared by all
 * viewers (SharedStreams) and stopped when the last one leaves; every viewer first gets its own
 * history, then joins the live stream without gaps or repeats (lines are ordered by timestamp).
 */
export class ContainerStreamsService {
  readonly logs = new SharedStreams<LogLineView>();
  readonly stats = new SharedStreams<ContainerStats>();

  constructor(
    private readonly containers: ContainersService,
    private readonly logger: Logger,
  ) {}

  async followLogs(
    hostId: string,
    ref: string,
    query: LogStreamQuery,
    viewer: Viewer<LogLineView>,
  ): Promise<() => void> {
    const { api, id, host } = await this.containers.resolve(hostId, ref);
    const tty = (await api.inspect(id)).Config.Tty === true;
    const wanted = (line: LogLineView): boolean =>
      (line.stream === 'stdout' ? query.stdout : query.stderr) &&
      (!query.filter || line.text.includes(query.filter));
    const shown = (line: LogLineView): LogLineView =>
      query.timestamps ? line : { ...line, timestamp: null };

    let historyDone = false;
    let lastSeen = '';
    const pending: LogLineView[] = [];
    const live: Viewer<LogLineView> = {
      message: (line) => {
        if (!historyDone) {
          if (pending.length < MAX_PENDING_LIVE) pending.push(line);
          return;
        }
        if (wanted(line)) viewer.message(shown(line));
      },
      end: (reason) => viewer.end(reason),
    };
    const unsubscribe = this.logs.subscribe(
      `${host.id}/${id}`,
      (emit, end) => this.logUpstream(api, id, tty, emit, end),
      live,
    );
    try {
      const res = await api.logs(id, {
        follow: false,
        tail: String(query.tail),
        timestamps: true,
        stdout: true,
        stderr: true,
      });
      for await (const raw of demuxLines(res, tty)) {
        const line = splitTimestamp(raw.stream, raw.text);
        lastSeen = sortableTime(line.timestamp ?? '');
        if (wanted(line)) viewer.message(shown(line));
      }
    } catch (err) {
      unsubscribe();
      throw err;
    }
    historyDone = true;
    for (const line of pending.splice(0)) {
      if (sortableTime(line.timestamp ?? '') > lastSeen && wanted(line))
        viewer.message(shown(line));
    }
    return unsubscribe;
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

  stopAll(): void {
    this.logs.stopAll();
    this.stats.stopAll();
  }

  private logUpstream(
    api: ContainersApi,
    id: string,
    tty: boolean,
    emit: (line: LogLineView) => void,
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
        for await (const raw of demuxLines(res, tty)) emit(splitTimestamp(raw.stream, raw.text));
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
