import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';

export const swarmStackKeys = {
  list: keys.swarmStacks,
  one: (host: string, name: string) => ['hosts', host, 'swarm-stacks', name] as const,
};

/**
 * The host's swarm stacks, and whether it manages a swarm at all. Kept live by the events
 * stream: its swarm changes (services, tasks, networks, secrets) invalidate these queries.
 */
export const useSwarmStacks = (host: string) =>
  useQuery({
    queryKey: swarmStackKeys.list(host),
    queryFn: () => client.swarmStacks.list({ params: { host } }),
  });

export const useSwarmStack = (host: string, name: string) =>
  useQuery({
    queryKey: swarmStackKeys.one(host, name),
    queryFn: () => client.swarmStacks.get({ params: { host, name } }),
  });
