import type { HostSeries } from './host-series.js';

export interface HostHistory {
  series: HostSeries;
  step: number;
  from: number;
  to: number;
}
