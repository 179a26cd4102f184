import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { containerSeries, type LatestSamples } from './container-series.js';
import { engineSeries } from './engine-series.js';

let processRegistry: Registry | null = null;

/**
 * The process's own series (CPU, memory, heap, event loop lag, GC, handles) with the `berth_`
 * prefix: one registry per process, whatever the number of apps in it (the tests make many).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'berth_' });
  }
  return processRegistry;
}

/** A kind of shared upstream stream (SharedStreams): how many run, how many watch. */
export interface StreamCounts {
  totals(): { upstreams: number; viewers: number };
}

export interface PrometheusDeps {
  hosts: EngineHosts;
  /** The shared upstream streams, by kind (logs, stats): how many run and how many watch. */
  streams: Record<string, StreamCounts>;
  /** The metrics sampler's last round (absent: no container series). */
  samples?: LatestSamples;
}

/**
 * What `GET /metrics` answers: Berth's own series (kept in `registry`, which the HTTP layer
 * counts requests into), and the hosts' series made at scrape time from what Berth already holds
 * (engine state, the sampler's last samples), for the hosts the caller may see.
 */
export class PrometheusService {
  readonly registry = new Registry();

  constructor(private readonly deps: PrometheusDeps) {
    const streams = Object.entries(deps.streams);
    new Gauge({
      name: 'berth_streams_open',
      help: 'Upstream engine streams open (one per container and kind, shared by its viewers)',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        for (const [kind, shared] of streams) this.set({ kind }, shared.totals().upstreams);
      },
    });
    new Gauge({
      name: 'berth_stream_viewers',
      help: 'Viewers of the shared upstream streams',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        for (const [kind, shared] of streams) this.set({ kind }, shared.totals().viewers);
      },
    });
  }

  /** The exposition text: every series, host series only of the hosts `canSeeHost` allows. */
  async scrape(canSeeHost: (hostId: string) => boolean): Promise<string> {
    const hosts = this.deps.hosts.list().filter((host) => canSeeHost(host.id));
    const hostRegistry = new Registry();
    engineSeries(hostRegistry, hosts);
    const visible = new Set(hosts.map((h) => h.id));
    const samples = (this.deps.samples?.latest() ?? []).filter((s) => visible.has(s.hostId));
    containerSeries(hostRegistry, samples);
    return Registry.merge([processMetrics(), this.registry, hostRegistry]).metrics();
  }
}
