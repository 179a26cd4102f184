import { AppError } from '../../core/errors.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { requireHost } from '../hosts/require-host.js';
import { SwarmStackEngine } from './swarm-stack-engine.js';

/** The Engine API of a host, and whether it manages a swarm. */
export class SwarmStackHosts {
  constructor(private readonly hosts: EngineHosts) {}

  engine(hostId: string): SwarmStackEngine {
    return new SwarmStackEngine(requireHost(this.hosts, hostId).client);
  }

  async status(
    hostId: string,
  ): Promise<{ engine: SwarmStackEngine; manager: boolean; nodeState: string }> {
    const engine = this.engine(hostId);
    const swarm = await engine.swarmInfo();
    const nodeState = swarm?.LocalNodeState ?? 'inactive';
    return {
      engine,
      manager: nodeState === 'active' && swarm?.ControlAvailable === true,
      nodeState,
    };
  }

  /** The host's engine, or the 409 of a host that is not a swarm manager. */
  async manager(hostId: string): Promise<SwarmStackEngine> {
    const { engine, manager, nodeState } = await this.status(hostId);
    if (!manager)
      throw AppError.conflict(
        'not_swarm_manager',
        nodeState === 'active'
          ? `${hostId} is a swarm worker: stacks are deployed through a manager`
          : `${hostId} is not in a swarm (${nodeState}): init one or join it as a manager first`,
        { host: hostId, nodeState },
      );
    return engine;
  }
}
