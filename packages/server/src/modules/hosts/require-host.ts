import { AppError } from '../../core/errors.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';

/** The host a host-scoped route names, or the 404 every such route answers for an unknown one. */
export function requireHost(hosts: EngineHosts, id: string): EngineHost {
  const host = hosts.get(id);
  if (!host) throw AppError.notFound('host_not_found', `No host "${id}"`, { host: id });
  return host;
}
