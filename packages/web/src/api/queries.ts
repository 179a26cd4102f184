import type {
  BackupScheduleView,
  ContainerDetail,
  ContainerList,
  HostInfo,
  HostList,
  ImageList,
  ImageUpdateList,
  Me,
  NetworkList,
  RecentEvents,
  RegistryList,
  SetupStatus,
  VolumeBackupList,
  VolumeList,
} from '@berth/contract';
import { useQuery } from '@tanstack/react-query';
import { get } from './client.js';

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
  registries: ['registries'] as const,
};

export const useSetupStatus = () =>
  useQuery({ queryKey: keys.setup, queryFn: () => get<SetupStatus>('/api/setup') });
export const useMe = () =>
  useQuery({ queryKey: keys.me, queryFn: () => get<Me>('/api/me'), retry: false });
export const useHosts = () =>
  useQuery({
    queryKey: keys.hosts,
    queryFn: async () => (await get<HostList>('/api/hosts')).hosts,
  });
export const useHostInfo = (host: string) =>
  useQuery({
    queryKey: keys.info(host),
    queryFn: () => get<HostInfo>(`/api/hosts/${host}/info`),
    staleTime: 60_000,
  });
export const useContainers = (host: string) =>
  useQuery({
    queryKey: keys.containers(host),
    queryFn: async () => (await get<ContainerList>(`/api/hosts/${host}/containers`)).containers,
  });
export const useContainer = (host: string, id: string) =>
  useQuery({
    queryKey: keys.container(host, id),
    queryFn: () => get<ContainerDetail>(`/api/hosts/${host}/containers/${encodeURIComponent(id)}`),
  });
export const useImages = (host: string) =>
  useQuery({
    queryKey: keys.images(host),
    queryFn: async () => (await get<ImageList>(`/api/hosts/${host}/images`)).images,
  });
export const useNetworks = (host: string) =>
  useQuery({
    queryKey: keys.networks(host),
    queryFn: async () => (await get<NetworkList>(`/api/hosts/${host}/networks`)).networks,
  });
export const useVolumes = (host: string) =>
  useQuery({
    queryKey: keys.volumes(host),
    queryFn: async () => (await get<VolumeList>(`/api/hosts/${host}/volumes`)).volumes,
  });
const volumePath = (host: string, volume: string): string =>
  `/api/hosts/${host}/volumes/${encodeURIComponent(volume)}`;
export const useVolumeBackups = (host: string, volume: string, enabled = true) =>
  useQuery({
    queryKey: keys.volumeBackups(host, volume),
    queryFn: async () =>
      (await get<VolumeBackupList>(`${volumePath(host, volume)}/backups`)).backups,
    enabled,
  });
export const useBackupSchedule = (host: string, volume: string) =>
  useQuery({
    queryKey: keys.backupSchedule(host, volume),
    queryFn: () => get<BackupScheduleView | null>(`${volumePath(host, volume)}/backup-schedule`),
  });
export const useUpdates = (host: string) =>
  useQuery({
    queryKey: keys.updates(host),
    queryFn: async () => (await get<ImageUpdateList>(`/api/hosts/${host}/images/updates`)).updates,
  });
export const useRecentEvents = (host: string) =>
  useQuery({
    queryKey: keys.events(host),
    queryFn: async () =>
      (await get<RecentEvents>(`/api/hosts/${host}/system/events?limit=15`)).events,
  });
export const useRegistries = (enabled: boolean) =>
  useQuery({
    queryKey: keys.registries,
    queryFn: async () => (await get<RegistryList>('/api/registries')).registries,
    enabled,
  });
