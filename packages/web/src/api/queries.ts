import type { Staleness } from '@berth/contract';
import { useQuery } from '@tanstack/react-query';
import { client } from './client.js';

/** Query keys: one place, so live events can invalidate exactly what changed. */
export const keys = {
  me: ['me'] as const,
  setup: ['setup'] as const,
  hosts: ['hosts'] as const,
  info: (host: string) => ['hosts', host, 'info'] as const,
  containers: (host: string) => ['hosts', host, 'containers'] as const,
  container: (host: string, id: string) => ['hosts', host, 'containers', id] as const,
  images: (host: string) => ['hosts', host, 'images'] as const,
  networks: (host: string) => ['hosts', host, 'networks'] as const,
  topology: (host: string) => ['hosts', host, 'topology'] as const,
  volumes: (host: string) => ['hosts', host, 'volumes'] as const,
  volumeBackups: (host: string, volume: string) =>
    ['hosts', host, 'volumes', volume, 'backups'] as const,
  backupSchedule: (host: string, volume: string) =>
    ['hosts', host, 'volumes', volume, 'backup-schedule'] as const,
  updates: (host: string) => ['hosts', host, 'updates'] as const,
  events: (host: string) => ['hosts', host, 'events'] as const,
  stacks: (host: string) => ['hosts', host, 'stacks'] as const,
  stack: (host: string, name: string) => ['hosts', host, 'stacks', name] as const,
  registries: ['registries'] as const,
  /** Swarm: services and tasks move together (the events stream's `swarm` messages). */
  swarmServices: (host: string) => ['hosts', host, 'swarm-services'] as const,
  swarmFiles: (host: string) => ['hosts', host, 'swarm-files'] as const,
  swarmStacks: (host: string) => ['hosts', host, 'swarm-stacks'] as const,
};

export const useSetupStatus = () =>
  useQuery({ queryKey: keys.setup, queryFn: () => client.setup.status() });
/** `enabled: false` while the answer is known without asking (before setup there is no user). */
export const useMe = (enabled = true) =>
  useQuery({ queryKey: keys.me, queryFn: () => client.me.get(), retry: false, enabled });
export const useHosts = () =>
  useQuery({
    queryKey: keys.hosts,
    queryFn: async () => (await client.hosts.list()).hosts,
  });
export const useHostInfo = (host: string) =>
  useQuery({
    queryKey: keys.info(host),
    queryFn: () => client.hosts.info({ params: { host } }),
    staleTime: 60_000,
  });
/**
 * The lists served from a host's engine state, whole (items and `stale`): the hooks below pick
 * the items, useListStaleness the marker, from the same cached answer.
 */
const lists = {
  containers: (host: string) => ({
    queryKey: keys.containers(host),
    queryFn: () => client.containers.list({ params: { host } }),
  }),
  images: (host: string) => ({
    queryKey: keys.images(host),
    queryFn: () => client.images.list({ params: { host } }),
  }),
  networks: (host: string) => ({
    queryKey: keys.networks(host),
    queryFn: () => client.networks.list({ params: { host } }),
  }),
  volumes: (host: string) => ({
    queryKey: keys.volumes(host),
    queryFn: () => client.volumes.list({ params: { host } }),
  }),
};
export type ListKind = keyof typeof lists;

export const useContainers = (host: string) =>
  useQuery({ ...lists.containers(host), select: (list) => list.containers });
export const useContainer = (host: string, id: string) =>
  useQuery({
    queryKey: keys.container(host, id),
    queryFn: () => client.containers.get({ params: { host, id } }),
  });
export const useImages = (host: string) =>
  useQuery({ ...lists.images(host), select: (list) => list.images });
export const useNetworks = (host: string) =>
  useQuery({ ...lists.networks(host), select: (list) => list.networks });
export const useVolumes = (host: string) =>
  useQuery({ ...lists.volumes(host), select: (list) => list.volumes });
/** Set while the list is the last known one of an engine that cannot be reached. */
export const useListStaleness = (kind: ListKind, host: string): Staleness | null => {
  const options: {
    queryKey: readonly unknown[];
    queryFn: () => Promise<{ stale: Staleness | null }>;
  } = lists[kind](host);
  return useQuery({ ...options, select: (list) => list.stale }).data ?? null;
};
export const useVolumeBackups = (host: string, volume: string, enabled = true) =>
  useQuery({
    queryKey: keys.volumeBackups(host, volume),
    queryFn: async () => (await client.volumes.backups({ params: { host, name: volume } })).backups,
    enabled,
  });
export const useBackupSchedule = (host: string, volume: string) =>
  useQuery({
    queryKey: keys.backupSchedule(host, volume),
    queryFn: () => client.volumes.schedule({ params: { host, name: volume } }),
  });
export const useUpdates = (host: string) =>
  useQuery({
    queryKey: keys.updates(host),
    queryFn: async () => (await client.updates.list({ params: { host } })).updates,
  });
export const useRecentEvents = (host: string) =>
  useQuery({
    queryKey: keys.events(host),
    queryFn: async () =>
      (await client.system.events({ params: { host }, query: { limit: 15 } })).events,
  });
export const useRegistries = (enabled: boolean) =>
  useQuery({
    queryKey: keys.registries,
    queryFn: async () => (await client.registries.list({})).registries,
    enabled,
  });
