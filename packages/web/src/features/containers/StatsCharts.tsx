import type { ContainerStats } from '@berth/contract';
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBytes } from '../../components/ui.js';
import { latest, statsSeries } from './stats-series.js';

type Values = (number | null)[];

interface Line {
  label: string;
  values: Values;
  /** A colour of the theme (resolved for the scheme in force when drawn). */
  tone: 'accent' | 'good' | 'warn' | 'bad';
  dash?: number[];
}

interface ChartSpec {
  id: string;
  title: string;
  lines: Line[];
  format: (v: number) => string;
  /** The caption's current reading. */
  now: string;
  /** The y scale's least top, so that a quiet series does not fill the chart with noise. */
  minTop: number;
  /** Steps between y ticks (bytes step in powers of two, so that ticks read 512 KiB, 1 MiB). */
  incrs?: number[];
}

const BYTE_STEPS = [0, 1, 2, 3, 4].flatMap((power) =>
  [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((step) => step * 1024 ** power),
);

/** The theme's colours as the canvas needs them (rgb), from the page's own custom properties. */
function themeColors(probe: HTMLElement): (css: string) => string {
  return (css) => {
    probe.style.color = css;
    return getComputedStyle(probe).color;
  };
}

/** Counts the theme changes: the system scheme or the theme picker's data-theme. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = (): void => setVersion((v) => v + 1);
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    });
    return () => {
      media.removeEventListener('change', bump);
      observer.disconnect();
    };
  }, []);
  return version;
}

function Chart({
  spec,
  times,
  windowMs,
  theme,
}: {
  spec: ChartSpec;
  times: number[];
  windowMs: number;
  theme: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data: uPlot.AlignedData = [times, ...spec.lines.map((l) => l.values)];
  const latestData = useRef(data);
  latestData.current = data;
  const windowS = windowMs / 1000;
  const shape = `${spec.lines.length}|${spec.lines.map((l) => l.label).join()}`;

  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const color = themeColors(element);
    const [text, grid] = [color('var(--muted)'), color('var(--line)')];
    const axis = (extra: Partial<uPlot.Axis> = {}): uPlot.Axis => ({
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      font: '11px system-ui, sans-serif',
      ...extra,
    });
    const u = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: 150,
        legend: { show: false },
        cursor: { y: false },
        scales: {
          x: { time: true, range: (_u, _min, max) => [max - windowS, max] },
          y: {
            range: (_u, _min, max) => [0, Math.max(spec.minTop, max * 1.15)],
          },
        },
        axes: [
          axis(),
          axis({
            values: (_u: uPlot, ticks: number[]) => ticks.map((v) => spec.format(v)),
            size: 72,
            ...(spec.incrs ? { incrs: spec.incrs } : {}),
          }),
        ],
        series: [
          {},
          ...spec.lines.map((l) => ({
            label: l.label,
            stroke: color(`var(--${l.tone})`),
            width: 1.5,
            ...(l.dash ? { dash: l.dash } : {}),
            spanGaps: false,
            points: { show: false },
          })),
        ],
      },
      latestData.current,
      element,
    );
    plot.current = u;
    const observer = new ResizeObserver(() => {
      u.setSize({ width: Math.max(200, element.clientWidth), height: 150 });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt for a new theme, window or set of lines; data alone goes through setData.
  }, [theme, windowS, shape, spec.format, spec.minTop, spec.incrs]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return (
    <figure className="chart" data-testid={`chart-${spec.id}`}>
      <figcaption>
        <span className="chart-title">{spec.title}</span>{' '}
        <strong data-testid={`stat-${spec.id}`}>{spec.now}</strong>
        <span className="chart-keys">
          {spec.lines.map((l) => (
            <span key={l.label} className={`chart-key chart-key-${l.tone}`}>
              {l.label}
            </span>
          ))}
        </span>
      </figcaption>
      <div
        ref={host}
        className="chart-plot"
        role="img"
        aria-label={`${spec.title} over the last ${windowS / 60} min: now ${spec.now}`}
      />
    </figure>
  );
}

const bytesPerSecond = (v: number): string => `${formatBytes(v)}/s`;
const percent = (v: number): string => `${Number(v.toFixed(v > 0 && v < 1 ? 2 : 1))} %`;
const count = (v: number): string => String(Math.round(v));
const orDash = (v: number | null, format: (v: number) => string): string =>
  v === null ? '—' : format(v);

/** The stats charts (uPlot): CPU, memory against its limit, network, block I/O, PIDs. */
export default function StatsCharts({
  samples,
  windowMs,
}: {
  samples: ContainerStats[];
  windowMs: number;
}) {
  const theme = useThemeVersion();
  const s = statsSeries(samples);
  const usage = latest(s.memory);
  const limit = s.memoryLimit;
  // The limit is drawn when it is near enough to matter; far above, it is only named.
  const peak = Math.max(0, ...s.memory.map((v) => v ?? 0));
  const limitDrawn = limit !== null && limit > 0 && limit <= peak * 4;
  const specs: ChartSpec[] = [
    {
      id: 'cpu',
      title: 'CPU',
      lines: [{ label: 'CPU', values: s.cpu, tone: 'accent' }],
      format: percent,
      now: orDash(latest(s.cpu), percent),
      minTop: 5,
    },
    {
      id: 'memory',
      title: 'Memory',
      lines: [
        { label: 'used', values: s.memory, tone: 'accent' },
        ...(limitDrawn
          ? [
              {
                label: 'limit',
                values: s.memory.map(() => limit),
                tone: 'bad' as const,
                dash: [6, 4],
              },
            ]
          : []),
      ],
      format: formatBytes,
      incrs: BYTE_STEPS,
      now:
        usage === null
          ? '—'
          : `${formatBytes(usage)}${limit ? ` of ${formatBytes(limit)} limit (${percent((usage / limit) * 100)})` : ''}`,
      minTop: 1024 * 1024,
    },
    {
      id: 'network',
      title: 'Network',
      lines: [
        { label: 'in', values: s.rx, tone: 'accent' },
        { label: 'out', values: s.tx, tone: 'good' },
      ],
      format: bytesPerSecond,
      incrs: BYTE_STEPS,
      now: `in ${orDash(latest(s.rx), bytesPerSecond)} · out ${orDash(latest(s.tx), bytesPerSecond)}`,
      minTop: 1024,
    },
    {
      id: 'block',
      title: 'Block I/O',
      lines: [
        { label: 'read', values: s.read, tone: 'accent' },
        { label: 'write', values: s.write, tone: 'warn' },
      ],
      format: bytesPerSecond,
      incrs: BYTE_STEPS,
      now: `read ${orDash(latest(s.read), bytesPerSecond)} · write ${orDash(latest(s.write), bytesPerSecond)}`,
      minTop: 1024,
    },
    {
      id: 'pids',
      title: 'PIDs',
      lines: [{ label: 'PIDs', values: s.pids, tone: 'accent' }],
      format: count,
      now: orDash(latest(s.pids), count),
      minTop: 4,
    },
  ];
  return (
    <div className="charts">
      {specs.map((spec) => (
        <Chart key={spec.id} spec={spec} times={s.times} windowMs={windowMs} theme={theme} />
      ))}
    </div>
  );
}
