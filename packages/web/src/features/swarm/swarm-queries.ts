import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';

/** Under ['hosts', host]: a host's events stream (a `swarm` message, a reconnect) refreshes them. */
export const swarmKeys = {
  swarm: (host: string) => ['hosts', host, 'swarm'] as const,
  nodes: (host: string) => ['hosts', host, 'swarm', 'nodes'] as const,
};

export const useSwarm = (host: string) =>
  useQuery({
    queryKey: swarmKeys.swarm(host),
    queryFn: () => client.swarm.get({ params: { host } }),
  });

export const useNodes = (host: string, enabled: boolean) =>
  useQuery({
    queryKey: swarmKeys.nodes(host),
    queryFn: async () => (await client.nodes.list({ params: { host } })).nodes,
    enabled,
  });
