import {
  METRICS_MAX_POINTS,
  METRICS_MAX_RANGE_DAYS,
  type MetricsQuery,
  type MetricsResolution,
  type MetricsSeries,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { requireHost } from '../hosts/require-host.js';
import type { MetricsRepository, Resolution, Retention } from './metrics-repository.js';
import { stackSubject, toPoint } from './metrics-points.js';

const HOUR = 3600;
const DAY = 86_400;

/** Steps a chart reads well at, seconds; a query's step is rounded up to one of them. */
const NICE_STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 86_400];

const RESOLUTION_NAME: Record<Resolution, MetricsResolution> = { 0: 'raw', 60: '1m', 900: '15m' };

export interface MetricsServiceOptions {
  retention: Retention;
  intervalSeconds: number;
  now?: () => number;
}

/**
 * Reads the history: picks the finest stored resolution that still covers the whole range, and
 * a step that keeps a chart under METRICS_MAX_POINTS points.
 */
export class MetricsService {
  private readonly now: () => number;

  constructor(
    private readonly hosts: EngineHosts,
    private readonly repository: MetricsRepository,
    private readonly options: MetricsServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async container(hostId: string, ref: string, query: MetricsQuery): Promise<MetricsSeries> {
    const host = requireHost(this.hosts, hostId);
    const { id, name } = containerSubject(host, ref);
    return this.series(host.id, { kind: 'container', id, name }, id, query);
  }

  async host(hostId: string, query: MetricsQuery): Promise<MetricsSeries> {
    const host = requireHost(this.hosts, hostId);
    return this.series(host.id, { kind: 'host', id: host.id, name: host.name }, 'host', query);
  }

  /** A stack's totals over its running containers (the route checks that the stack exists). */
  async stack(hostId: string, name: string, query: MetricsQuery): Promise<MetricsSeries> {
    const host = requireHost(this.hosts, hostId);
    return this.series(host.id, { kind: 'stack', id: name, name }, stackSubject(name), query);
  }

  /** Applies retention and the size budget (hourly, and at start). */
  prune(): Promise<number> {
    return this.repository.prune(Math.floor(this.now() / 1000), this.options.retention);
  }

  private async series(
    hostId: string,
    subject: MetricsSeries['subject'],
    key: string,
    query: MetricsQuery,
  ): Promise<MetricsSeries> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const to = query.to ? Math.floor(Date.parse(query.to) / 1000) : nowSeconds;
    const from = query.from ? Math.floor(Date.parse(query.from) / 1000) : to - HOUR;
    if (from >= to)
      throw AppError.badRequest('invalid_range', '`from` must be before `to`', { field: 'from' });
    if (to - from > METRICS_MAX_RANGE_DAYS * DAY)
      throw AppError.badRequest(
        'invalid_range',
        `the range is at most ${METRICS_MAX_RANGE_DAYS} days`,
        { field: 'from' },
      );
    const resolution = this.resolutionFor(from, nowSeconds);
    const finest = Math.max(resolution, resolution === 0 ? this.options.intervalSeconds : 0);
    const wanted = Math.max(query.step ?? 0, finest, Math.ceil((to - from) / METRICS_MAX_POINTS));
    const step = niceStep(wanted, resolution);
    const points = await this.repository.query(hostId, key, resolution, from, to, step);
    return {
      subject,
      from: new Date(from * 1000).toISOString(),
      to: new Date(to * 1000).toISOString(),
      step,
      resolution: RESOLUTION_NAME[resolution],
      intervalSeconds: this.options.intervalSeconds,
      points: points.map(toPoint),
    };
  }

  /** The finest resolution whose retention reaches back to `from`. */
  private resolutionFor(from: number, nowSeconds: number): Resolution {
    const age = nowSeconds - from;
    const { rawSeconds, minuteSeconds } = this.options.retention;
    if (age <= rawSeconds) return 0;
    if (age <= minuteSeconds) return 60;
    return 900;
  }
}

/** The step rounded up to a nice one, and to a whole multiple of the resolution. */
export function niceStep(wanted: number, resolution: Resolution): number {
  const nice = NICE_STEPS.find((s) => s >= wanted) ?? NICE_STEPS[NICE_STEPS.length - 1] ?? wanted;
  if (resolution === 0) return nice;
  return Math.max(resolution, Math.ceil(nice / resolution) * resolution);
}

/**
 * The container a route names: a current one by id, unique prefix or name; a removed one by
 * the id or prefix the state remembers, or by its full id (its history outlives it).
 */
function containerSubject(host: EngineHost, ref: string): { id: string; name: string } {
  const name = ref.replace(/^\//, '');
  const known = host.state.containers();
  const exact = known.find((c) => c.id === ref || c.name === name);
  if (exact) return { id: exact.id, name: exact.name };
  if (/^[0-9a-f]{1,64}$/.test(ref)) {
    const matches = known.filter((c) => c.id.startsWith(ref));
    const [only] = matches;
    if (matches.length === 1 && only) return { id: only.id, name: only.name };
    const removed = host.state.removedName(ref);
    if (removed) return removed;
    if (ref.length === 64) return { id: ref, name: ref.slice(0, 12) };
  }
  throw AppError.notFound('container_not_found', `No container "${ref}" on host "${host.id}"`, {
    host: host.id,
    container: ref,
  });
}
