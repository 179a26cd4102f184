import type { StatsSeries } from './stats-series.js';

export interface ContainerHistory {
  series: StatsSeries;
  /** Seconds per point, and the span asked for (seconds). */
  step: number;
  from: number;
  to: number;
}

/** The recorded metrics of a container over the last `seconds` (null: none asked for). */
export function useContainerHistory(
  host: string,
  id: string,
  seconds: number | null,
): { data: ContainerHistory | undefined; error: unknown; unavailable: boolean } {
  return { data: undefined, error: null, unavailable: seconds !== null && `${host}/${id}` !== '' };
}
