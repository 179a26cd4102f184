import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';

export const swarmStackKeys = {
  list: (host: string) => ['hosts', host, 'swarm-stacks'] as const,
  one: (host: string, name: string) => ['hosts', host, 'swarm-stacks', name] as const,
};

/** The host's swarm stacks, and whether it manages a swarm at all. */
export const useSwarmStacks = (host: string) =>
  useQuery({
    queryKey: swarmStackKeys.list(host),
    queryFn: () => client.swarmStacks.list({ params: { host } }),
    refetchInterval: 10_000,
  });

export const useSwarmStack = (host: string, name: string) =>
  useQuery({
    queryKey: swarmStackKeys.one(host, name),
    queryFn: () => client.swarmStacks.get({ params: { host, name } }),
    refetchInterval: 5_000,
  });
