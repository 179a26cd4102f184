import type { HostSeries } from './host-series.js';
import type { Incident } from './incidents.js';

export interface HostHistory {
  series: HostSeries;
  step: number;
  from: number;
  to: number;
}

export interface ContainerIncidentsAnswer {
  incidents: Incident[];
}
