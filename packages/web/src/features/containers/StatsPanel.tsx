import type { ContainerStats } from '@berth/contract';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useLiveSocket } from '../../api/live-socket.js';
import { HOST } from '../../app/Layout.js';
import { formatBytes } from '../../components/ui.js';

const POINTS = 60;

function Chart({
  label,
  values,
  format,
}: {
  label: string;
  values: number[];
  format: (v: number) => string;
}) {
  const max = Math.max(1, ...values);
  const path = values
    .map((v, i) => `${i === 0 ? 'M' : 'L'}${(i / (POINTS - 1)) * 300},${60 - (v / max) * 56}`)
    .join(' ');
  const last = values.at(-1) ?? 0;
  return (
    <figure className="chart">
      <figcaption>
        {label}:{' '}
        <strong data-testid={`stat-${label.toLowerCase().split(' ')[0] ?? ''}`}>
          {format(last)}
        </strong>
      </figcaption>
      <svg viewBox="0 0 300 60" role="img" aria-label={`${label} over the last minute`}>
        <path d={path} />
      </svg>
    </figure>
  );
}

/** Live CPU, memory, network and block I/O from the shared stats stream. */
export function StatsPanel({ containerId }: { containerId: string }) {
  const [samples, setSamples] = useState<ContainerStats[]>([]);
  useLiveSocket(
    client.stats.follow,
    { params: { host: HOST, id: containerId } },
    {
      onMessage: (message) => {
        if (message.type === 'stats') setSamples((old) => [...old, message].slice(-POINTS));
        return message.type === 'end' ? 'stop' : undefined;
      },
    },
  );
  const last = samples.at(-1);
  const rate = (pick: (s: ContainerStats) => number) =>
    samples.map((s, i) => {
      const prev = samples[i - 1];
      return prev ? Math.max(0, pick(s) - pick(prev)) : 0;
    });
  return (
    <section
      aria-label="Stats"
      className="charts"
      data-testid="stats"
      data-samples={samples.length}
    >
      <Chart
        label="CPU %"
        values={samples.map((s) => s.cpuPercent)}
        format={(v) => `${v.toFixed(1)} %`}
      />
      <Chart
        label="Memory"
        values={samples.map((s) => s.memory.usage)}
        format={(v) => `${formatBytes(v)}${last ? ` of ${formatBytes(last.memory.limit)}` : ''}`}
      />
      <Chart
        label="Network in"
        values={rate((s) => s.network.rxBytes)}
        format={(v) => `${formatBytes(v)}/s`}
      />
      <Chart
        label="Disk read"
        values={rate((s) => s.blockIo.readBytes)}
        format={(v) => `${formatBytes(v)}/s`}
      />
      <p className="muted">
        PIDs: {last?.pids ?? '…'}. Memory counts page cache as available, as docker stats does.
      </p>
    </section>
  );
}
