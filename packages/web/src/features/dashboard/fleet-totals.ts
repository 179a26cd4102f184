import type { FleetHostSummary, FleetSummary } from '@berth/contract';

/** Every label the hosts carry, once each, in order. */
export const labelsOf = (hosts: FleetHostSummary[]): string[] =>
  [...new Set(hosts.flatMap((h) => h.labels))].sort();

/** The hosts carrying any of the chosen labels; all of them when none is chosen. */
export const hostsLabelled = (hosts: FleetHostSummary[], chosen: string[]): FleetHostSummary[] =>
  chosen.length === 0 ? hosts : hosts.filter((h) => h.labels.some((l) => chosen.includes(l)));

/** The fleet's totals over some of its hosts (the server's own are over all of them). */
export function totalsOf(hosts: FleetHostSummary[]): FleetSummary['totals'] {
  const sum = (pick: (h: FleetHostSummary) => number): number =>
    hosts.reduce((n, h) => n + pick(h), 0);
  return {
    hosts: hosts.length,
    reachable: hosts.filter((h) => h.reachable).length,
    containers: sum((h) => h.containers.total),
    running: sum((h) => h.containers.running),
    unhealthy: sum((h) => h.containers.unhealthy),
    updates: sum((h) => h.updates),
  };
}
