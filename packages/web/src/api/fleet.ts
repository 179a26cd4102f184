import type {
  ContainerState,
  FleetContainerList,
  FleetImageList,
  FleetSearchResult,
  FleetSummary,
  FleetVolumeList,
} from '@berth/contract';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { client } from './client.js';

/** Query keys of the fleet answers: every one starts with `fleet`, so one prefix renews them. */
export const fleetKeys = {
  all: ['fleet'] as const,
  summary: ['fleet', 'summary'] as const,
  list: (kind: FleetKind, query: FleetListQuery) => ['fleet', kind, query] as const,
  search: (q: string) => ['fleet', 'search', q] as const,
};

export type FleetKind = 'containers' | 'images' | 'volumes';

/** What the all-hosts lists ask: comma lists as the API takes them, empty meaning none. */
export interface FleetListQuery {
  q: string;
  host: string;
  label: string;
  state: string;
  limit: number;
}

/** How often the fleet is read again while a host is down, to see it come back. */
export const UNREACHABLE_REFETCH_MS = 15_000;

const someUnreachable = (hosts: { reachable: boolean }[] | undefined): boolean =>
  (hosts ?? []).some((h) => !h.reachable);

/**
 * Every visible host at once. Renewed by the current host's events (live.ts) and, only while
 * a host is unreachable, on a modest interval.
 */
export const useFleet = () =>
  useQuery({
    queryKey: fleetKeys.summary,
    queryFn: (): Promise<FleetSummary> => client.fleet.summary(),
    refetchInterval: (query) =>
      someUnreachable(query.state.data?.hosts) ? UNREACHABLE_REFETCH_MS : false,
  });

const optional = (value: string): string | undefined => (value === '' ? undefined : value);
const common = (query: FleetListQuery) => ({
  q: optional(query.q),
  host: optional(query.host),
  label: optional(query.label),
  limit: query.limit,
});

/** The previous answer stays on screen while a new search is on its way. */
const listOptions = {
  placeholderData: keepPreviousData,
  refetchInterval: (query: { state: { data?: { hosts: { reachable: boolean }[] } } }) =>
    someUnreachable(query.state.data?.hosts) ? UNREACHABLE_REFETCH_MS : false,
} as const;

export const useFleetContainers = (query: FleetListQuery) =>
  useQuery({
    ...listOptions,
    queryKey: fleetKeys.list('containers', query),
    queryFn: (): Promise<FleetContainerList> =>
      client.fleet.containers({
        query: {
          ...common(query),
          state: optional(query.state) as ContainerState | undefined,
        },
      }),
  });
export const useFleetImages = (query: FleetListQuery) =>
  useQuery({
    ...listOptions,
    queryKey: fleetKeys.list('images', query),
    queryFn: (): Promise<FleetImageList> => client.fleet.images({ query: common(query) }),
  });
export const useFleetVolumes = (query: FleetListQuery) =>
  useQuery({
    ...listOptions,
    queryKey: fleetKeys.list('volumes', query),
    queryFn: (): Promise<FleetVolumeList> => client.fleet.volumes({ query: common(query) }),
  });

/** The palette's search across hosts; nothing is asked for an empty text. */
export const useFleetSearch = (q: string, enabled: boolean) =>
  useQuery({
    queryKey: fleetKeys.search(q),
    queryFn: (): Promise<FleetSearchResult> => client.fleet.search({ query: { q, limit: 20 } }),
    enabled: enabled && q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
