import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { rangeQuery } from '../../components/charts/ranges.js';
import { historySeries } from '../containers/metrics-history.js';
import type { StatsSeries } from '../containers/stats-series.js';

export interface MetricsHistory {
  series: StatsSeries;
  /** Seconds per point, and the span asked for (seconds). */
  step: number;
  from: number;
  to: number;
}

/**
 * Recorded metrics over the last `seconds` (null: none asked for), of a container or (no id)
 * of the host's totals. Asked again once a step, when the question moves on.
 */
export function useMetricsHistory(host: string, id: string | null, seconds: number | null) {
  const query = seconds === null ? null : rangeQuery(seconds, Date.now());
  return useQuery({
    queryKey: ['hosts', host, 'metrics', id, seconds, query?.to],
    queryFn: async (): Promise<MetricsHistory> => {
      if (!query) throw new Error('no range');
      const answer =
        id === null
          ? await client.metrics.host({ params: { host }, query })
          : await client.metrics.container({ params: { host, id }, query });
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
