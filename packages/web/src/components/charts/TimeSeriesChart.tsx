import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import '../../styles/monitoring.css';
import { isolatedIndices, lastKnown, type Series } from './series.js';
import { formatUnit, leastTop, tickSteps, type ChartUnit } from './units.js';
import { themeColors } from './useThemeVersion.js';

export interface ChartLine {
  label: string;
  /** A colour of the theme (resolved for the scheme in force when drawn). */
  tone: 'accent' | 'good' | 'warn' | 'bad' | 'info';
  dash?: number[];
}

/** The x axis: a fixed span (a history range) or the last `seconds` of the data (live). */
export type ChartSpan = { from: number; to: number } | { trailing: number };

export interface TimeSeriesChartProps {
  id: string;
  title: string;
  unit: ChartUnit;
  lines: ChartLine[];
  /** One column per line, in the lines' order. */
  data: Series;
  span: ChartSpan;
  /** What the x axis covers, for the chart's accessible name: "the last 24 h". */
  spanLabel: string;
  /** The caption's reading from the values at the cursor (or the latest); default: the first line's. */
  summary?: (values: (number | null)[]) => string;
  /** Charts with the same key move their cursors together. */
  sync?: string;
  /** Changes when the theme does (useThemeVersion), to redraw in its colours. */
  theme: number;
  height?: number;
}

const clock = (seconds: number, withDate: boolean): string =>
  new Date(seconds * 1000).toLocaleString([], {
    ...(withDate ? { month: 'short', day: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    ...(withDate ? {} : { second: '2-digit' }),
    hour12: false,
  });

/**
 * A time series on uPlot: axes in the unit, a gap where there is no value, and a legend that
 * reads the values under the cursor (the latest ones when the cursor is elsewhere).
 */
export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const { id, title, unit, lines, data, span, spanLabel, sync, theme, height = 150 } = props;
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const aligned = useMemo<uPlot.AlignedData>(() => [data.times, ...data.columns], [data]);
  const latest = useRef(aligned);
  latest.current = aligned;
  const columns = useRef(data.columns);
  columns.current = data.columns;
  const spanKey = 'trailing' in span ? `t${span.trailing}` : `${span.from}-${span.to}`;
  const spanRef = useRef(span);
  spanRef.current = span;
  const shape = lines.map((l) => `${l.label}:${l.tone}`).join();
  const longSpan = ('trailing' in span ? span.trailing : span.to - span.from) > 86_400;

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
    const steps = tickSteps(unit);
    const u = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height,
        legend: { show: false },
        cursor: { y: false, ...(sync ? { sync: { key: sync } } : {}) },
        scales: {
          x: {
            time: true,
            range: (_u, min, max) => {
              const s = spanRef.current;
              if ('trailing' in s) return [max - s.trailing, max];
              return s.to > s.from ? [s.from, s.to] : [min, max];
            },
          },
          y: { range: (_u, _min, max) => [0, Math.max(leastTop(unit), max * 1.15)] },
        },
        axes: [
          axis(),
          axis({
            values: (_u: uPlot, ticks: number[]) => ticks.map((v) => formatUnit(unit, v)),
            size: 76,
            ...(steps ? { incrs: steps } : {}),
          }),
        ],
        series: [
          {},
          ...lines.map((l) => ({
            label: l.label,
            stroke: color(`var(--${l.tone})`),
            width: 1.5,
            ...(l.dash ? { dash: l.dash } : {}),
            spanGaps: false,
            // Lines only, but a point with no neighbour is a dot (else it would not show).
            points: {
              show: true,
              size: 5,
              filter: (_self: uPlot, seriesIdx: number) =>
                isolatedIndices(columns.current[seriesIdx - 1] ?? []),
            },
          })),
        ],
        hooks: { setCursor: [(self: uPlot) => setCursor(self.cursor.idx ?? null)] },
      },
      latest.current,
      element,
    );
    plot.current = u;
    const observer = new ResizeObserver(() => {
      u.setSize({ width: Math.max(200, element.clientWidth), height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt for a new theme, span, unit or set of lines; data alone goes through setData.
  }, [theme, spanKey, shape, unit, sync, height]);

  useEffect(() => {
    plot.current?.setData(aligned);
  }, [aligned]);

  const hovered = cursor !== null && cursor < data.times.length ? cursor : null;
  const values = data.columns.map((column) =>
    hovered === null ? lastKnown(column) : (column[hovered] ?? null),
  );
  const summary =
    props.summary?.(values) ?? (lines.length === 1 ? formatUnit(unit, values[0]) : null);
  const at = hovered === null ? null : data.times[hovered];
  return (
    <figure className="chart" data-testid={`chart-${id}`}>
      <figcaption>
        <span className="chart-title">{title}</span>{' '}
        {summary !== null && <strong data-testid={`stat-${id}`}>{summary}</strong>}
        <span className="chart-at muted" data-testid={`chart-at-${id}`}>
          {at === undefined || at === null ? 'latest' : `at ${clock(at, longSpan)}`}
        </span>
        <span className="chart-keys">
          {lines.map((l, i) => (
            <span key={l.label} className={`chart-key chart-key-${l.tone}`}>
              {l.label}
              {lines.length > 1 && (
                <span className="chart-key-value"> {formatUnit(unit, values[i])}</span>
              )}
            </span>
          ))}
        </span>
      </figcaption>
      <div
        ref={host}
        className="chart-plot"
        role="img"
        aria-label={`${title} over ${spanLabel}: ${hovered === null ? 'latest' : 'at the cursor'} ${
          summary ?? lines.map((l, i) => `${l.label} ${formatUnit(unit, values[i])}`).join(', ')
        }`}
      />
    </figure>
  );
}
