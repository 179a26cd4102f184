import type { EngineHost } from '../../docker/engine-hosts.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import { SwarmApi } from '../../docker/swarm-api.js';

/** Network id -> the swarm services attached to it. */
export type ServicesOnNetworks = Map<string, { id: string; name: string }[]>;

/**
 * The swarm services on each network, when the host has swarm-scoped networks (it is in a
 * swarm); null when it has none or is not a manager (only managers list services).
 */
export async function servicesOnNetworks(host: EngineHost): Promise<ServicesOnNetworks | null> {
  if (!host.state.networks().some((n) => n.Scope === 'swarm')) return null;
  try {
    const map: ServicesOnNetworks = new Map();
    for (const s of await new SwarmApi(host.client).services()) {
      const ids = new Set([
        ...(s.Spec.TaskTemplate.Networks ?? []).map((n) => n.Target),
        ...(s.Endpoint?.VirtualIPs ?? []).map((v) => v.NetworkID),
      ]);
      for (const id of ids) map.set(id, [...(map.get(id) ?? []), { id: s.ID, name: s.Spec.Name }]);
    }
    return map;
  } catch (err) {
    if (err instanceof EngineRequestError && err.statusCode === 503) return null;
    throw err;
  }
}
