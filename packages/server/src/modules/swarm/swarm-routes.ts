import { AppError } from '../../core/errors.js';
import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { NodesService } from './nodes-service.js';
import type { SwarmService } from './swarm-service.js';

export interface SwarmRoutesDeps {
  swarm: SwarmService;
  nodes: NodesService;
}

/** The swarm of a host (inspect, init, join, leave, join tokens). */
export function swarmRoutes({ swarm }: SwarmRoutesDeps) {
  return contractRoutes('swarm', {
    get: (request) => swarm.get(request.params.host),
    init: (request) => {
      auditInfo(request).details = {
        advertiseAddr: request.body.advertiseAddr,
        listenAddr: request.body.listenAddr,
        defaultAddrPool: request.body.defaultAddrPool ?? null,
      };
      return swarm.init(request.params.host, request.body);
    },
    // The token is a secret: never in the audit log.
    join: (request) => {
      auditInfo(request).details = { remoteAddrs: request.body.remoteAddrs };
      return swarm.join(request.params.host, request.body);
    },
    leave: (request) => {
      auditInfo(request).details = { force: request.body.force };
      return swarm.leave(request.params.host, request.body.force);
    },
    // A read of secrets: audited as the route declares (the hook records audited reads too).
    joinTokens: (request) => swarm.joinTokens(request.params.host),
    rotateJoinToken: (request) => {
      auditInfo(request).details = { role: request.body.role };
      return swarm.rotate(request.params.host, request.body.role);
    },
  });
}

/** Every swarm once, across the hosts the caller sees. */
export function swarmsRoutes({ swarm }: SwarmRoutesDeps) {
  return contractRoutes('swarms', {
    list: (request) => ({ swarms: swarm.clusters((host) => request.canSeeHost(host)) }),
  });
}

/** The nodes of a manager host's swarm. */
export function nodesRoutes({ nodes }: SwarmRoutesDeps) {
  return contractRoutes('nodes', {
    list: (request) => nodes.list(request.params.host),
    get: (request) => nodes.get(request.params.host, request.params.id),
    update: (request) => {
      // Availability and labels are an operator's; who manages the swarm (its managers) an admin's.
      const role = request.principal?.role;
      if (request.body.role !== undefined && role !== 'admin') {
        auditInfo(request).denied = true;
        throw new AppError(
          403,
          'forbidden',
          `Promoting or demoting a node needs the admin role; you have ${role ?? 'none'}`,
        );
      }
      auditInfo(request).details = {
        role: request.body.role ?? null,
        availability: request.body.availability ?? null,
        labels: request.body.labels ?? null,
      };
      return nodes.update(request.params.host, request.params.id, request.body);
    },
    remove: (request) => {
      auditInfo(request).details = { force: request.query.force };
      return nodes.remove(request.params.host, request.params.id, request.query.force);
    },
  });
}
