import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { SwarmStackDeploys } from './swarm-stack-deploys.js';
import type { SwarmStacksService } from './swarm-stacks-service.js';

export interface SwarmStacksRoutesDeps {
  stacks: SwarmStacksService;
  deploys: SwarmStackDeploys;
}

/** Compose stacks deployed to a swarm: list, inspect, plan, deploy, remove. */
export function swarmStacksRoutes({ stacks, deploys }: SwarmStacksRoutesDeps) {
  return contractRoutes('swarmStacks', {
    list: (request) => stacks.list(request.params.host),
    get: (request) => stacks.get(request.params.host, request.params.name),
    plan: (request) => deploys.plan(request.params.host, request.params.name, request.body),
    deploy: async (request) => {
      const { host, name } = request.params;
      auditInfo(request).target = `${host}/${name}`;
      const result = await deploys.deploy(host, name, request.body);
      auditInfo(request).details = {
        stack: request.body.source.stack ?? null,
        prune: request.body.prune,
        ok: result.ok,
        objects: result.results
          .filter((r) => r.status !== 'skipped')
          .map((r) => `${r.action} ${r.kind} ${r.name}: ${r.status}`),
      };
      return result;
    },
    remove: async (request) => {
      const { host, name } = request.params;
      auditInfo(request).target = `${host}/${name}`;
      const result = await stacks.remove(host, name);
      auditInfo(request).details = {
        ok: result.ok,
        removed: result.results.filter((r) => r.status === 'done').map((r) => r.name),
      };
      return result;
    },
  });
}
