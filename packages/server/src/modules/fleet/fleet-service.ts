import type {
  FleetContainer,
  FleetContainerList,
  FleetHostSummary,
  FleetImage,
  FleetImageList,
  FleetSearchResult,
  FleetSummary,
  FleetVolume,
  FleetVolumeList,
} from '@berth/contract';
import type { ContainerFacts } from '../../docker/container-summary.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { labelledEnvironment } from '../containers/berth-labels.js';
import type { ContainersService } from '../containers/containers-service.js';
import type { HostHardware } from '../hosts/host-hardware.js';
import { toHost } from '../hosts/hosts-service.js';
import type { ImagesService } from '../images/images-service.js';
import type { VolumesService } from '../volumes/volumes-service.js';
import { searchHosts } from './fleet-search.js';
import { byHostThenName, compareText, matchesText, page, type FleetScope } from './fleet-scope.js';

export interface FleetServiceDeps {
  hosts: EngineHosts;
  hardware: HostHardware;
  containers: ContainersService;
  images: ImagesService;
  volumes: VolumesService;
  /** The image tags with an update available per host, from the checks already made. */
  knownUpdates: () => Promise<Map<string, Set<string>>>;
}

export interface ContainersQuery extends FleetScope {
  q?: string;
  state?: FleetContainer['state'];
  health?: NonNullable<FleetContainer['health']>;
  limit: number;
  offset: number;
}

export interface ItemsQuery extends FleetScope {
  q?: string;
  limit: number;
  offset: number;
}

/**
 * Every visible host at once, built from each host's live state (EngineState) and what Berth
 * keeps in memory: never an engine call, so a host that cannot be reached answers at once from
 * its last known state, marked stale.
 */
export class FleetService {
  constructor(private readonly deps: FleetServiceDeps) {}

  /** The hosts a fleet answer covers: visible to the caller, narrowed by `host` and `label`. */
  scope(scope: FleetScope): EngineHost[] {
    const ids = scope.host && new Set(scope.host);
    const labels = scope.label && new Set(scope.label);
    return this.deps.hosts
      .list()
      .filter((host) => scope.visible(host.id))
      .filter((host) => !ids || ids.has(host.id))
      .filter((host) => !labels || host.labels.some((label) => labels.has(label)))
      .sort((a, b) => compareText(a.id, b.id));
  }

  async summary(scope: FleetScope): Promise<FleetSummary> {
    const chosen = this.scope(scope);
    const updates = await this.deps.knownUpdates();
    const hosts = chosen.map((host) => this.hostSummary(host, updates.get(host.id)));
    const totals = { hosts: hosts.length, reachable: 0, containers: 0, running: 0 };
    let unhealthy = 0;
    let updatesTotal = 0;
    for (const host of hosts) {
      if (host.reachable) totals.reachable += 1;
      totals.containers += host.containers.total;
      totals.running += host.containers.running;
      unhealthy += host.containers.unhealthy;
      updatesTotal += host.updates;
    }
    return { hosts, totals: { ...totals, unhealthy, updates: updatesTotal } };
  }

  /**
   * Filtered and sorted on what the state holds of each container; only the page asked for is
   * built into full summaries (status text, digest), so a long fleet costs little per request.
   */
  async containers(query: ContainersQuery): Promise<FleetContainerList> {
    const chosen = this.scope(query);
    const matching = await Promise.all(
      chosen.map(async (host) => {
        const tags = query.q ? await this.deps.containers.environmentTags(host.id) : null;
        return host.state
          .containerFacts()
          .filter((c) => !query.state || c.state === query.state)
          .filter((c) => !query.health || c.health === query.health)
          .filter(
            (c) =>
              !query.q ||
              matchesText(query.q, [
                c.name,
                c.image,
                c.id,
                c.composeProject,
                tags?.get(c.id) ?? labelledEnvironment(c.labels),
              ]),
          )
          .sort((a, b) => compareText(a.name, b.name))
          .map((c) => ({ host: host.id, id: c.id }));
      }),
    );
    // Hosts are in order already, each host's containers by name.
    const all = matching.flat();
    const wanted = page(all, query);
    const pages = await Promise.all(
      chosen.map(async (host) => {
        const ids = wanted.filter((w) => w.host === host.id).map((w) => w.id);
        if (ids.length === 0) return [];
        const summaries = await this.deps.containers.summaries(host.id, ids);
        return summaries.map((c): FleetContainer => ({ ...c, host: host.id }));
      }),
    );
    return { containers: pages.flat(), total: all.length, hosts: chosen.map(hostState) };
  }

  async images(query: ItemsQuery): Promise<FleetImageList> {
    const chosen = this.scope(query);
    const lists = await Promise.all(
      chosen.map(async (host) => {
        const { images } = await this.deps.images.list(host.id);
        return images
          .filter((i) => !query.q || matchesText(query.q, [...i.tags, i.id]))
          .map((i): FleetImage => ({ ...i, host: host.id }));
      }),
    );
    const all = lists.flat().sort((a, b) => byHostThenName(named(a), named(b)));
    return { images: page(all, query), total: all.length, hosts: chosen.map(hostState) };
  }

  async volumes(query: ItemsQuery): Promise<FleetVolumeList> {
    const chosen = this.scope(query);
    const lists = await Promise.all(
      chosen.map(async (host) => {
        const { volumes } = await this.deps.volumes.list(host.id);
        return volumes
          .filter((v) => !query.q || matchesText(query.q, [v.name, v.driver]))
          .map((v): FleetVolume => ({ ...v, host: host.id }));
      }),
    );
    const all = lists.flat().sort(byHostThenName);
    return { volumes: page(all, query), total: all.length, hosts: chosen.map(hostState) };
  }

  /** Best matches first: exact name, then prefix, then substring. */
  search(query: FleetScope & { q: string; limit: number }): FleetSearchResult {
    return { results: searchHosts(this.scope(query), query.q, query.limit) };
  }

  private hostSummary(host: EngineHost, updatable: Set<string> | undefined): FleetHostSummary {
    // The summary names no agent details: the host's own page has them.
    const view = toHost(host, null);
    if (view.reachable) this.deps.hardware.warm(host);
    const profile = this.deps.hardware.cached(host);
    const containers = { total: 0, running: 0, paused: 0, restarting: 0, stopped: 0 };
    let unhealthy = 0;
    let updates = 0;
    const projects = new Set<string>();
    for (const c of host.state.containerFacts()) {
      containers.total += 1;
      countState(containers, c);
      if (c.health === 'unhealthy') unhealthy += 1;
      if (c.composeProject !== null) projects.add(c.composeProject);
      if (updatable && (updatable.has(c.image) || updatable.has(`${c.image}:latest`))) updates += 1;
    }
    return {
      id: view.id,
      name: view.name,
      kind: view.kind,
      labels: view.labels,
      insecure: view.insecure,
      reachable: view.reachable,
      since: view.since,
      error: view.error,
      stale: host.state.staleness(),
      version: view.version,
      latencyMs: view.latencyMs,
      lastEventAt: view.lastEventAt,
      containers: { ...containers, unhealthy },
      images: view.counts.images,
      volumes: view.counts.volumes,
      networks: view.counts.networks,
      stacks: projects.size,
      capacity: profile && {
        cpus: profile.cpus,
        memoryBytes: profile.memoryBytes,
        profile: profile.profile,
        recommendedContainers: profile.recommendedContainers,
        maxContainers: profile.maxContainers,
      },
      updates,
    };
  }
}

function countState(
  counts: { running: number; paused: number; restarting: number; stopped: number },
  c: ContainerFacts,
): void {
  if (c.state === 'running') counts.running += 1;
  else if (c.state === 'paused') counts.paused += 1;
  else if (c.state === 'restarting') counts.restarting += 1;
  else if (c.state === 'created' || c.state === 'exited' || c.state === 'dead') counts.stopped += 1;
}

/** An image is sorted by its first tag, or its short id when it has none. */
function named(image: FleetImage): { host: string; name: string } {
  return { host: image.host, name: image.tags[0] ?? image.shortId };
}

function hostState(host: EngineHost): FleetContainerList['hosts'][number] {
  return { id: host.id, reachable: host.state.status.reachable, stale: host.state.staleness() };
}
