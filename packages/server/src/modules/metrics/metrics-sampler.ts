import { setMaxListeners } from 'node:events';
import type { ContainerSample, EventsMessage, HostSample, StreamMetrics } from '@berth/contract';
import type { Logger } from '../../core/logger.js';
import { errorMessage } from '../../core/errors.js';
import type { RawStats } from '../../docker/container-stats.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { EngineContainer } from '../../docker/container-summary.js';
import type { MetricsRepository, StoredPoint } from './metrics-repository.js';
import { readSample, type Reading } from './stats-reading.js';
import { roundPoint, STACK_PREFIX, stackSubject } from './metrics-points.js';

export interface SamplerOptions {
  /** Between rounds of one host; 0 turns sampling off. */
  intervalMs: number;
  now?: () => number;
}

type SamplesListener = (hostId: string, samples: ContainerSample[]) => void;

/** How long host memory, read from the engine's info, is trusted before it is read again. */
const HOST_INFO_TTL_MS = 3_600_000;

/**
 * The metrics sampler: for every host, a round every interval reading each running container
 * once (`stats?stream=false&one-shot=true`: no stream held open, no wait for a second
 * sample), the requests spread over the interval rather than sent at once. CPU is worked out
 * from this reading and the previous one (a container's first reading waits for the engine's
 * second sample instead). Each round is written in one transaction and handed
 * to listeners (alerts, Prometheus). Viewers' live stats streams are separate and unaffected.
 */
export class MetricsSampler {
  private readonly listeners = new Set<SamplesListener>();
  private readonly roundListeners = new Set<(message: StreamMetrics) => void>();
  private readonly latestByHost = new Map<string, Map<string, ContainerSample>>();
  private readonly latestHostSample = new Map<string, HostSample>();
  private stopHosts: (() => void) | null = null;
  private readonly now: () => number;

  constructor(
    private readonly hosts: EngineHosts,
    private readonly repository: MetricsRepository,
    private readonly logger: Logger,
    private readonly options: SamplerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get intervalMs(): number {
    return this.options.intervalMs;
  }

  start(): void {
    if (this.stopHosts || this.options.intervalMs <= 0) return;
    this.stopHosts = this.hosts.eachHost((host) => {
      const sampler = new HostSampler(host, this.options.intervalMs, this.now, (round) =>
        this.record(host, round),
      );
      sampler.start();
      return () => {
        sampler.stop();
        this.latestByHost.delete(host.id);
        this.latestHostSample.delete(host.id);
      };
    });
  }

  stop(): void {
    this.stopHosts?.();
    this.stopHosts = null;
  }

  /** The last sample of every running container (of one host, or of all). */
  latest(hostId?: string): ContainerSample[] {
    if (hostId !== undefined) return [...(this.latestByHost.get(hostId)?.values() ?? [])];
    return [...this.latestByHost.values()].flatMap((m) => [...m.values()]);
  }

  latestHost(hostId: string): HostSample | undefined {
    return this.latestHostSample.get(hostId);
  }

  /**
   * The events stream's source: each round's totals of the host and of its stacks, as the
   * history routes answer them, so the charts append them live (one message a round).
   */
  on(hostId: string, listener: (message: EventsMessage) => void): () => void {
    const forHost = (message: StreamMetrics): void => {
      if (message.host === hostId) listener(message);
    };
    this.roundListeners.add(forHost);
    return () => this.roundListeners.delete(forHost);
  }

  /** Called after each round of a host with its samples; returns the unsubscribe. */
  onSamples(listener: SamplesListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async record(host: EngineHost, round: Round): Promise<void> {
    const { readings, memoryTotal, at } = round;
    const samples = readings.map((r) => r.sample);
    this.latestByHost.set(host.id, new Map(samples.map((s) => [s.containerId, s])));
    const hostSample = hostTotals(host.id, at, readings, memoryTotal);
    this.latestHostSample.set(host.id, hostSample);
    const points: StoredPoint[] = readings.map((r) => ({
      subject: r.sample.containerId,
      ...r.point,
    }));
    points.push({ subject: 'host', ...hostPoint(hostSample, readings) });
    points.push(...stackPoints(readings, memoryTotal));
    try {
      await this.repository.write(host.id, Math.floor(at / 1000), points);
    } catch (err) {
      this.logger.error({ host: host.id, err: errorMessage(err) }, 'writing metrics failed');
    }
    this.announce(host.id, Math.floor(at / 1000), points);
    for (const listener of this.listeners) {
      try {
        listener(host.id, samples);
      } catch (err) {
        this.logger.error({ err: errorMessage(err) }, 'a metrics listener failed');
      }
    }
  }

  private announce(hostId: string, atSeconds: number, points: StoredPoint[]): void {
    if (this.roundListeners.size === 0) return;
    const totals = points.find((p) => p.subject === 'host');
    if (!totals) return;
    const stacks: StreamMetrics['stacks'] = {};
    for (const p of points)
      if (p.subject.startsWith(STACK_PREFIX))
        stacks[p.subject.slice(STACK_PREFIX.length)] = roundPoint(atSeconds, p);
    const message: StreamMetrics = {
      type: 'metrics',
      host: hostId,
      totals: roundPoint(atSeconds, totals),
      stacks,
    };
    for (const listener of this.roundListeners) listener(message);
  }
}

interface Round {
  at: number;
  readings: Reading[];
  memoryTotal: number;
}

/** One host's rounds: a timer chain, never two rounds at once, ended with the host. */
class HostSampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  private previous = new Map<string, Reading>();
  private memoryTotal = { value: 0, readAt: -Infinity };

  constructor(
    private readonly host: EngineHost,
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly done: (round: Round) => Promise<void>,
  ) {
    // One listener per container read in a round (its wait, its request): a hundred is normal.
    setMaxListeners(0, this.abort.signal);
  }

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => void this.round(), delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const started = this.now();
    try {
      const running = this.host.state.status.reachable
        ? this.host.state.containers().filter((c) => c.state === 'running')
        : [];
      const readings = await this.readAll(running);
      if (this.abort.signal.aborted) return;
      this.previous = new Map(readings.map((r) => [r.sample.containerId, r]));
      if (this.host.state.status.reachable || readings.length > 0)
        await this.done({ at: started, readings, memoryTotal: await this.hostMemory() });
    } catch {
      // An engine that went away mid-round: the next round tries again.
    }
    this.schedule(Math.max(0, started + this.intervalMs - this.now()));
  }

  /** Each running container once, the requests spread over 80% of the interval. */
  private async readAll(running: EngineContainer[]): Promise<Reading[]> {
    const gap = running.length > 1 ? (this.intervalMs * 0.8) / running.length : 0;
    const results = await Promise.all(
      running.map(async (container, index) => {
        if (index > 0) await delay(gap * index, this.abort.signal);
        if (this.abort.signal.aborted) return null;
        try {
          const previous = this.previous.get(container.id);
          // Without a previous reading to measure CPU against, the engine's two-sample document.
          const raw = await this.host.client.request<RawStats>(
            'GET',
            `/containers/${encodeURIComponent(container.id)}/stats`,
            {
              query: { stream: false, 'one-shot': previous !== undefined },
              signal: this.abort.signal,
            },
          );
          return readSample(this.host.id, container, raw, previous);
        } catch {
          // Stopped between the list and the read, or the engine is busy: no sample this round.
          return null;
        }
      }),
    );
    return results.filter((r): r is Reading => r !== null);
  }

  private async hostMemory(): Promise<number> {
    if (this.now() - this.memoryTotal.readAt < HOST_INFO_TTL_MS) return this.memoryTotal.value;
    try {
      const info = await this.host.client.info();
      this.memoryTotal = { value: info.MemTotal, readAt: this.now() };
    } catch {
      // Keeps the last known figure.
    }
    return this.memoryTotal.value;
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function hostTotals(
  hostId: string,
  at: number,
  readings: Reading[],
  memoryTotal: number,
): HostSample {
  const sum = (pick: (s: ContainerSample) => number): number =>
    readings.reduce((total, r) => total + pick(r.sample), 0);
  return {
    hostId,
    at: new Date(at).toISOString(),
    cpuPercent: Math.round(sum((s) => s.cpuPercent) * 100) / 100,
    memoryUsed: sum((s) => s.memoryWorkingSet),
    memoryTotal,
    containersRunning: readings.length,
    networkRx: sum((s) => s.networkRx),
    networkTx: sum((s) => s.networkTx),
    blockRead: sum((s) => s.blockRead),
    blockWrite: sum((s) => s.blockWrite),
  };
}

/**
 * Each compose project's totals over its running containers, kept as a subject of its own so
 * a stack's history outlives its containers (a redeploy makes new ones). Memory's ceiling is
 * the sum of the containers' limits, at most the host's memory (a container without a limit
 * reports the host's); PIDs count its running containers, as the host's do.
 */
function stackPoints(readings: Reading[], memoryTotal: number): StoredPoint[] {
  const byProject = new Map<string, Reading[]>();
  for (const reading of readings) {
    const project = reading.sample.composeProject;
    if (project === null) continue;
    const members = byProject.get(project);
    if (members) members.push(reading);
    else byProject.set(project, [reading]);
  }
  return [...byProject].map(([project, members]) => {
    const sum = (pick: (p: Reading['point']) => number): number =>
      members.reduce((total, r) => total + pick(r.point), 0);
    const limits = sum((p) => p.memLimit);
    return {
      subject: stackSubject(project),
      cpu: Math.round(sum((p) => p.cpu) * 100) / 100,
      mem: sum((p) => p.mem),
      memLimit: memoryTotal > 0 ? Math.min(limits, memoryTotal) : limits,
      rx: sum((p) => p.rx),
      tx: sum((p) => p.tx),
      rd: sum((p) => p.rd),
      wr: sum((p) => p.wr),
      pids: members.length,
    };
  });
}

function hostPoint(sample: HostSample, readings: Reading[]): Omit<StoredPoint, 'subject'> {
  const sum = (pick: (p: Reading['point']) => number): number =>
    readings.reduce((total, r) => total + pick(r.point), 0);
  return {
    cpu: sample.cpuPercent,
    mem: sample.memoryUsed,
    memLimit: sample.memoryTotal,
    rx: sum((p) => p.rx),
    tx: sum((p) => p.tx),
    rd: sum((p) => p.rd),
    wr: sum((p) => p.wr),
    pids: sample.containersRunning,
  };
}
