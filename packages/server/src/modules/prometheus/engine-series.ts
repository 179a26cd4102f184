import { ContainerHealth, ContainerState } from '@berth/contract';
import { Gauge, type Registry } from 'prom-client';
import type { EngineHost } from '../../docker/engine-hosts.js';

const STATES = ContainerState.options;
const HEALTHS = ContainerHealth.options;

function gauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Gauge<L> {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

/**
 * Each host's engine as its EngineState holds it (no engine call): reached or not, event lag,
 * ping, containers by state, images; and each container's state and health as state sets
 * (one series per state, 1 for the one it is in), as kube-state-metrics writes them, so that
 * `berth_container_state{state="running"} == 0` finds what stopped.
 */
export function engineSeries(registry: Registry, hosts: readonly EngineHost[]): void {
  const up = gauge(registry, 'berth_engine_up', 'Whether Berth reaches the engine (1) or not (0)', [
    'host',
  ]);
  const info = gauge(registry, 'berth_engine_info', 'The engine version Berth reaches (always 1)', [
    'host',
    'version',
    'api_version',
  ]);
  const lag = gauge(
    registry,
    'berth_engine_event_lag_seconds',
    "The last engine event's delay from the engine's clock to Berth",
    ['host'],
  );
  const lastEvent = gauge(
    registry,
    'berth_engine_last_event_timestamp_seconds',
    'When Berth last received an engine event',
    ['host'],
  );
  const ping = gauge(registry, 'berth_engine_ping_seconds', "The engine's last ping round trip", [
    'host',
  ]);
  const containers = gauge(registry, 'berth_engine_containers', 'Containers by state', [
    'host',
    'state',
  ]);
  const images = gauge(registry, 'berth_engine_images', 'Images on the engine', ['host']);
  const state = gauge(
    registry,
    'berth_container_state',
    'The state a container is in (1) and those it is not in (0)',
    ['host', 'name', 'state'],
  );
  const health = gauge(
    registry,
    'berth_container_health',
    'The health status of a container with a healthcheck (1) and the others (0)',
    ['host', 'name', 'health'],
  );
  for (const engine of hosts) {
    const host = engine.id;
    const status = engine.state.status;
    up.set({ host }, status.reachable ? 1 : 0);
    if (status.version) {
      info.set({ host, version: status.version, api_version: status.apiVersion ?? '' }, 1);
    }
    if (status.eventLagMs !== null) lag.set({ host }, Math.max(0, status.eventLagMs) / 1000);
    if (status.lastEventAt) lastEvent.set({ host }, status.lastEventAt.getTime() / 1000);
    if (status.latencyMs !== null) ping.set({ host }, status.latencyMs / 1000);
    const byState = new Map<ContainerState, number>(STATES.map((s) => [s, 0]));
    for (const container of engine.state.containerFacts()) {
      byState.set(container.state, (byState.get(container.state) ?? 0) + 1);
      for (const s of STATES)
        state.set({ host, name: container.name, state: s }, s === container.state ? 1 : 0);
      if (container.health) {
        for (const h of HEALTHS)
          health.set({ host, name: container.name, health: h }, h === container.health ? 1 : 0);
      }
    }
    for (const [s, count] of byState) containers.set({ host, state: s }, count);
    images.set({ host }, engine.state.counts().images);
  }
}
