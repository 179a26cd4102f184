import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { rangeQuery, type RangeQuery } from '../../components/charts/ranges.js';
import { historySeries } from '../containers/metrics-history.js';
import type { StatsSeries } from '../containers/stats-series.js';

export interface MetricsHistory {
  series: StatsSeries;
  /** Seconds per point, and the span asked for (seconds). */
  step: number;
  from: number;
  to: number;
}

/** Whose history: a container's, a stack's totals, or the host's. */
export type MetricsSubject =
  { kind: 'container'; id: string } | { kind: 'stack'; name: string } | { kind: 'host' };

function fetchSeries(host: string, subject: MetricsSubject, query: RangeQuery) {
  if (subject.kind === 'container')
    return client.metrics.container({ params: { host, id: subject.id }, query });
  if (subject.kind === 'stack')
    return client.metrics.stack({ params: { host, name: subject.name }, query });
  return client.metrics.host({ params: { host }, query });
}

/**
 * Recorded metrics over the last `seconds` (null: none asked for), of a container, a stack's
 * or the host's totals. Asked again once a step, when the question moves on.
 */
export function useMetricsHistory(host: string, subject: MetricsSubject, seconds: number | null) {
  const query = seconds === null ? null : rangeQuery(seconds, Date.now());
  const key =
    subject.kind === 'container'
      ? subject.id
      : subject.kind === 'stack'
        ? `stack:${subject.name}`
        : null;
  return useQuery({
    queryKey: ['hosts', host, 'metrics', key, seconds, query?.to],
    queryFn: async (): Promise<MetricsHistory> => {
      if (!query) throw new Error('no range');
      const answer = await fetchSeries(host, subject, query);
      return {
        series: historySeries(answer),
        step: answer.step,
        from: Date.parse(answer.from) / 1000,
        to: Date.parse(answer.to) / 1000,
      };
    },
    enabled: query !== null,
    placeholderData: (previous) => (previous?.step === query?.step ? previous : undefined),
    refetchInterval: query ? query.step * 1000 : false,
  });
}
