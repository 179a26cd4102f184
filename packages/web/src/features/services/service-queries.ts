import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';

/** Swarm services, tasks, secrets and configs of a manager host, kept live by the events stream. */
export const useServices = (host: string) =>
  useQuery({
    queryKey: [...keys.swarmServices(host), 'list'],
    queryFn: async () => (await client.services.list({ params: { host } })).services,
    retry: false,
  });
export const useService = (host: string, id: string) =>
  useQuery({
    queryKey: [...keys.swarmServices(host), 'service', id],
    queryFn: () => client.services.get({ params: { host, id } }),
    retry: false,
  });
export const useServiceTasks = (host: string, id: string) =>
  useQuery({
    queryKey: [...keys.swarmServices(host), 'tasks', id],
    queryFn: async () => (await client.services.tasks({ params: { host, id } })).tasks,
  });
export const useAllTasks = (host: string) =>
  useQuery({
    queryKey: [...keys.swarmServices(host), 'tasks'],
    queryFn: async () => (await client.tasks.list({ params: { host }, query: {} })).tasks,
    retry: false,
  });
export const useSecrets = (host: string) =>
  useQuery({
    queryKey: [...keys.swarmFiles(host), 'secrets'],
    queryFn: async () => (await client.secrets.list({ params: { host } })).secrets,
    retry: false,
  });
export const useConfigs = (host: string) =>
  useQuery({
    queryKey: [...keys.swarmFiles(host), 'configs'],
    queryFn: async () => (await client.configs.list({ params: { host } })).configs,
    retry: false,
  });

/** Tone of a task or update state. */
export function swarmTone(state: string): 'good' | 'warn' | 'bad' | 'neutral' | 'info' {
  if (state === 'running' || state === 'completed') return 'good';
  if (state === 'failed' || state === 'rejected' || state.startsWith('rollback')) return 'bad';
  if (state === 'paused' || state === 'updating') return 'warn';
  if (state === 'shutdown' || state === 'complete') return 'neutral';
  return 'info';
}
