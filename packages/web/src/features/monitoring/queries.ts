import type { ContainerIncidentsAnswer, HostHistory } from './monitoring-api.js';

/** The recorded totals of a host over the last `seconds`. */
export function useHostHistory(
  host: string,
  seconds: number,
): { data: HostHistory | undefined; error: unknown; unavailable: boolean } {
  return { data: undefined, error: null, unavailable: `${host}${seconds}` !== '' };
}

/** A container's incidents (its health timeline), or a host's (the "what broke" feed). */
export function useIncidents(
  host: string,
  containerId: string | null,
): { data: ContainerIncidentsAnswer | undefined; error: unknown; unavailable: boolean } {
  return { data: undefined, error: null, unavailable: `${host}${containerId}` !== '' };
}
