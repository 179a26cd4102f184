import type { ServiceLogLine, ServiceLogsQuery } from '@berth/contract';
import { runDetached } from '../../core/detached.js';
import { dockerCommand } from '../../core/docker-command.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { demuxLineBatches, type LogLine } from '../../docker/log-stream.js';
import type { SwarmApi } from '../../docker/swarm-api.js';
import { SharedStreams, type Upstream } from '../../docker/shared-streams.js';
import { toSeconds } from '../containers/container-logs.js';
import { sortableTime, type Viewer } from '../containers/container-streams.js';
import type { ServicesService } from './services-service.js';
import { onManager, swarmHost } from './swarm-host.js';

const MAX_LINE_CHARS = 16 * 1024;
const MAX_PENDING_LIVE = 10_000;
const HISTORY_BATCH = 250;

const byTime = (a: ServiceLogLine, b: ServiceLogLine): number =>
  sortableTime(a.timestamp ?? '').localeCompare(sortableTime(b.timestamp ?? ''));

/**
 * One line of `/services/{id}/logs?timestamps=1&details=1`: the time, the task's attributes
 * (`com.docker.swarm.task.id=…,…`, query-escaped), then the text.
 */
export function parseServiceLine(line: LogLine): ServiceLogLine {
  const space = line.text.indexOf(' ');
  const timestamp = space > 0 ? line.text.slice(0, space) : null;
  let rest = space > 0 ? line.text.slice(space + 1) : line.text;
  let task: string | null = null;
  let node: string | null = null;
  const attrsEnd = rest.indexOf(' ');
  const attrs = attrsEnd >= 0 ? rest.slice(0, attrsEnd) : rest;
  if (attrs.includes('com.docker.swarm.')) {
    for (const pair of attrs.split(',')) {
      const [key = '', value = ''] = pair.split('=').map((p) => decodeURIComponent(p));
      if (key === 'com.docker.swarm.task.id') task = value;
      if (key === 'com.docker.swarm.node.id') node = value;
    }
    rest = attrsEnd >= 0 ? rest.slice(attrsEnd + 1) : '';
  }
  return {
    stream: line.stream,
    text: rest.length > MAX_LINE_CHARS ? `${rest.slice(0, MAX_LINE_CHARS)}…` : rest,
    timestamp,
    task,
    node,
  };
}

/** A service's logs: every task merged or one task, history and live (one upstream shared). */
export class ServiceLogsService {
  readonly streams = new SharedStreams<ServiceLogLine[]>();

  constructor(
    private readonly hosts: EngineHosts,
    private readonly services: ServicesService,
    private readonly logger: Logger,
  ) {}

  snapshot(
    hostId: string,
    ref: string,
    query: ServiceLogsQuery,
  ): Promise<{ lines: ServiceLogLine[]; cli: string }> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const service = await this.services.resolve(target, hostId, ref);
      const lines: ServiceLogLine[] = [];
      const res = await this.open(target.api, service.ID, query, false);
      for await (const batch of demuxLineBatches(res, false))
        for (const raw of batch) lines.push(parseServiceLine(raw));
      lines.sort(byTime);
      const shown = query.timestamps ? lines : lines.map((l) => ({ ...l, timestamp: null }));
      return {
        lines: shown,
        cli: dockerCommand(
          'service',
          'logs',
          '--tail',
          String(query.tail),
          ...(query.since ? ['--since', query.since] : []),
          ...(query.timestamps ? ['--timestamps'] : []),
          query.task ?? service.Spec.Name,
        ),
      };
    });
  }

  /** History first (the viewer's tail), then live lines newer than it, without repeats. */
  follow(
    hostId: string,
    ref: string,
    query: ServiceLogsQuery,
    viewer: Viewer<ServiceLogLine[]>,
  ): Promise<() => void> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const service = await this.services.resolve(target, hostId, ref);
      const strip = (batch: ServiceLogLine[]) =>
        query.timestamps ? batch : batch.map((l) => ({ ...l, timestamp: null }));
      let historyDone = false;
      let lastSeen = '';
      const pending: ServiceLogLine[][] = [];
      let pendingLines = 0;
      const unsubscribe = this.streams.subscribe(
        `${target.host.id}/${service.ID}/${query.task ?? '*'}`,
        (emit, end) => this.upstream(target.api, service.ID, query.task, emit, end),
        {
          message: (batch) => {
            if (historyDone) viewer.message(strip(batch));
            else if (pendingLines < MAX_PENDING_LIVE) {
              pending.push(batch);
              pendingLines += batch.length;
            }
          },
          end: (reason) => viewer.end(reason),
        },
      );
      try {
        // The engine sends each task's tail in turn: merged here by time (tail × tasks lines).
        const history: ServiceLogLine[] = [];
        const res = await this.open(target.api, service.ID, query, false);
        for await (const raw of demuxLineBatches(res, false))
          for (const line of raw) history.push(parseServiceLine(line));
        history.sort(byTime);
        lastSeen = sortableTime(history.at(-1)?.timestamp ?? '');
        for (let at = 0; at < history.length; at += HISTORY_BATCH) {
          viewer.message(strip(history.slice(at, at + HISTORY_BATCH)));
          await viewer.ready?.();
        }
      } catch (err) {
        unsubscribe();
        throw err;
      }
      historyDone = true;
      for (const batch of pending.splice(0)) {
        const newer = batch.filter((l) => sortableTime(l.timestamp ?? '') > lastSeen);
        if (newer.length > 0) viewer.message(strip(newer));
      }
      return unsubscribe;
    });
  }

  stopAll(): void {
    this.streams.stopAll();
  }

  private open(
    api: SwarmApi,
    serviceId: string,
    query: { tail: number | 'all'; since?: string | undefined; task?: string | undefined },
    follow: boolean,
    signal?: AbortSignal,
  ) {
    const since = toSeconds(query.since);
    return api.logs(
      query.task ? 'tasks' : 'services',
      query.task ?? serviceId,
      {
        follow,
        tail: follow ? '0' : String(query.tail),
        timestamps: true,
        ...(since !== undefined && !follow ? { since } : {}),
      },
      signal,
    );
  }

  private upstream(
    api: SwarmApi,
    serviceId: string,
    task: string | undefined,
    emit: (lines: ServiceLogLine[]) => void,
    end: (reason: string) => void,
  ): Upstream {
    const abort = new AbortController();
    const follow = async (): Promise<void> => {
      try {
        const res = await this.open(api, serviceId, { tail: 0, task }, true, abort.signal);
        for await (const raw of demuxLineBatches(res, false)) emit(raw.map(parseServiceLine));
        end('the service log stream ended');
      } catch (err) {
        if (!abort.signal.aborted) end(`service log stream failed: ${errorMessage(err)}`);
      }
    };
    runDetached(follow(), this.logger, { service: serviceId }, 'service log viewers not told');
    return { stop: () => abort.abort() };
  }
}
