import type { ContainerSample } from '@berth/contract';
import { Counter, Gauge, type Registry } from 'prom-client';

/** The last sample of every running container, as the metrics sampler keeps them. */
export interface LatestSamples {
  latest(hostId?: string): ContainerSample[];
}

const LABELS = ['host', 'name', 'image', 'compose_project', 'compose_service'] as const;
type Label = (typeof LABELS)[number];
type Value = (sample: ContainerSample) => number;

/** cAdvisor's names and meanings, so dashboards and rules written for cAdvisor work as they are. */
const COUNTERS: readonly [string, string, Value][] = [
  ['container_cpu_usage_seconds_total', 'Cumulative CPU time consumed', (s) => s.cpuSecondsTotal],
  ['container_network_receive_bytes_total', 'Cumulative bytes received', (s) => s.networkRx],
  ['container_network_transmit_bytes_total', 'Cumulative bytes transmitted', (s) => s.networkTx],
  [
    'container_fs_reads_bytes_total',
    'Cumulative bytes read from block devices',
    (s) => s.blockRead,
  ],
  [
    'container_fs_writes_bytes_total',
    'Cumulative bytes written to block devices',
    (s) => s.blockWrite,
  ],
];
const GAUGES: readonly [string, string, Value][] = [
  ['container_memory_working_set_bytes', 'Current working set', (s) => s.memoryWorkingSet],
  [
    'container_spec_memory_limit_bytes',
    'Memory limit (the host memory when unlimited)',
    (s) => s.memoryLimit,
  ],
  ['container_processes', 'Processes (PIDs) running in the container', (s) => s.pids],
  [
    'container_last_seen',
    'When the container was last sampled (Unix seconds)',
    (s) => Date.parse(s.at) / 1000,
  ],
];

function labelsOf(sample: ContainerSample): Record<Label, string> {
  return {
    host: sample.hostId,
    name: sample.name,
    image: sample.image,
    compose_project: sample.composeProject ?? '',
    compose_service: sample.composeService ?? '',
  };
}

/**
 * Per-container series from the sampler's last round: read at scrape time, no engine call. The
 * registry is made for one scrape, so a counter is set by one `inc` to the sampled total.
 */
export function containerSeries(registry: Registry, samples: readonly ContainerSample[]): void {
  for (const [name, help, value] of COUNTERS) {
    const counter = new Counter({ name, help, labelNames: LABELS, registers: [registry] });
    for (const sample of samples) counter.inc(labelsOf(sample), Math.max(0, value(sample)));
  }
  for (const [name, help, value] of GAUGES) {
    const gauge = new Gauge({ name, help, labelNames: LABELS, registers: [registry] });
    for (const sample of samples) gauge.set(labelsOf(sample), value(sample));
  }
}
