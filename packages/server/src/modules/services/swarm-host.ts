import { AppError } from '../../core/errors.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import { SwarmApi } from '../../docker/swarm-api.js';
import { requireHost } from '../hosts/require-host.js';

/** A host-scoped swarm call: the host, its swarm API, and the engine's answers made clear. */
export interface SwarmHost {
  host: EngineHost;
  api: SwarmApi;
}

export function swarmHost(hosts: EngineHosts, hostId: string): SwarmHost {
  const host = requireHost(hosts, hostId);
  return { host, api: new SwarmApi(host.client) };
}

/**
 * Runs a call against a swarm manager: a host that is not one (503 from the engine) answers
 * 409 not_swarm_manager, saying so; a stale version is 409 service_changed.
 */
export async function onManager<T>(hostId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof EngineRequestError && err.statusCode === 503) {
      throw AppError.conflict(
        'not_swarm_manager',
        `${hostId} is not a swarm manager: ${err.message}. Init a swarm on it or add a manager as a host.`,
        { host: hostId },
      );
    }
    if (err instanceof EngineRequestError && /update out of sequence/.test(err.message)) {
      throw AppError.conflict(
        'service_changed',
        'The service changed since it was read (update out of sequence): read it again and retry',
      );
    }
    throw err;
  }
}
