import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { StackCatalog } from '../stacks/stack-catalog.js';
import { SwarmStackDeploys } from './swarm-stack-deploys.js';
import { SwarmStackHosts } from './swarm-stack-hosts.js';
import { SwarmStackSources } from './swarm-stack-source.js';
import { SwarmStacksService } from './swarm-stacks-service.js';

/** Compose stacks deployed to a swarm: Berth's stacks' files, the Engine API's swarm objects. */
export function swarmStackServices(hosts: EngineHosts, catalog: StackCatalog, now: () => number) {
  const swarmHosts = new SwarmStackHosts(hosts);
  return {
    swarmStacks: new SwarmStacksService(swarmHosts),
    swarmStackDeploys: new SwarmStackDeploys(swarmHosts, new SwarmStackSources(catalog), now),
  };
}
