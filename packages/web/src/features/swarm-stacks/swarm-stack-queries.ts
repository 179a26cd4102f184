import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';

export const swarmStackKeys = {
  list: (host: string) => ['hosts', host, 'swarm-stacks'] as const,
  one: (host: string, name: string) => ['hosts', host, 'swarm-stacks', name] as const,
};

/** The host's swarm stacks, and whether it manages a swarm at all; `live`: asked again every 10 s. */
export const useSwarmStacks = (host: string, live = false) =>
  useQuery({
    queryKey: swarmStackKeys.list(host),
    queryFn: () => client.swarmStacks.list({ params: { host } }),
    refetchInterval: live ? 10_000 : false,
  });

export const useSwarmStack = (host: string, name: string) =>
  useQuery({
    queryKey: swarmStackKeys.one(host, name),
    queryFn: () => client.swarmStacks.get({ params: { host, name } }),
    refetchInterval: 5_000,
  });
