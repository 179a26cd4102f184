import type { PruneResult, RecentEvents, StreamsReport } from '@berth/contract';
import { dockerCommand } from '../../core/docker-command.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { ContainersApi } from '../../docker/containers-api.js';
import { VolumesApi } from '../../docker/volumes-api.js';
import type { ContainerActions } from '../containers/container-actions.js';
import type { ContainerStreamsService } from '../containers/container-streams.js';
import { requireHost } from '../hosts/require-host.js';
import type { ImagesService } from '../images/images-service.js';
import type { NetworksService } from '../networks/networks-service.js';
import type { VolumesService } from '../volumes/volumes-service.js';
import { healthProbeCommand, withoutHealthProbes } from './health-check-events.js';

const PROBE_CACHE_SIZE = 2000;

export interface DiskUsage {
  images: { count: number; sizeBytes: number; reclaimableBytes: number };
  containers: { count: number; sizeBytes: number };
  volumes: { count: number; sizeBytes: number; reclaimableBytes: number };
  buildCacheBytes: number;
}

export interface SystemPruneResult {
  dryRun: boolean;
  containers: PruneResult;
  networks: PruneResult;
  images: PruneResult;
  volumes: PruneResult | null;
  cli: string;
}

/**
 * Host-wide views and actions: engine version, disk usage, event history, system prune; and
 * the server's shared streams.
 */
export class SystemService {
  private readonly probeCommands = new Map<string, string | null>();

  constructor(
    private readonly hosts: EngineHosts,
    private readonly parts: {
      actions: ContainerActions;
      images: ImagesService;
      networks: NetworksService;
      volumes: VolumesService;
      streams: ContainerStreamsService;
    },
  ) {}

  /** The shared live streams (engine upstreams and their viewers) and this process's memory. */
  streams(): StreamsReport {
    const memory = process.memoryUsage();
    return {
      logs: this.parts.streams.logs.totals(),
      stats: this.parts.streams.stats.totals(),
      memoryRssBytes: memory.rss,
      memoryHeapUsedBytes: memory.heapUsed,
    };
  }

  async version(hostId: string): Promise<Record<string, unknown>> {
    return { ...(await requireHost(this.hosts, hostId).client.version()) };
  }

  /** Computed by the engine on demand: slow on big hosts. */
  async diskUsage(hostId: string): Promise<DiskUsage> {
    const df = await new VolumesApi(requireHost(this.hosts, hostId).client).diskUsage();
    const images = df.Images ?? [];
    const volumes = df.Volumes ?? [];
    const volumeSize = (v: (typeof volumes)[number]): number => Math.max(0, v.UsageData?.Size ?? 0);
    return {
      images: {
        count: images.length,
        sizeBytes: df.LayersSize ?? images.reduce((s, i) => s + i.Size, 0),
        reclaimableBytes: images
          .filter((i) => i.Containers === 0)
          .reduce((s, i) => s + i.Size - i.SharedSize, 0),
      },
      containers: {
        count: (df.Containers ?? []).length,
        sizeBytes: (df.Containers ?? []).reduce((s, c) => s + (c.SizeRw ?? 0), 0),
      },
      volumes: {
        count: volumes.length,
        sizeBytes: volumes.reduce((s, v) => s + volumeSize(v), 0),
        reclaimableBytes: volumes
          .filter((v) => v.UsageData?.RefCount === 0)
          .reduce((s, v) => s + volumeSize(v), 0),
      },
      buildCacheBytes: (df.BuildCache ?? []).reduce((s, b) => s + b.Size, 0),
    };
  }

  /** The last engine events, newest first; health probes' execs only when asked for. */
  async events(
    hostId: string,
    query: { limit: number; includeHealthChecks: boolean },
  ): Promise<RecentEvents> {
    const { state, client } = requireHost(this.hosts, hostId);
    const containers = new ContainersApi(client);
    const all = query.includeHealthChecks ? state.recentEvents(query.limit) : state.recentEvents();
    const kept = query.includeHealthChecks
      ? all
      : await withoutHealthProbes(all, (id) => this.probeCommand(containers, id));
    return {
      events: kept
        .slice(0, query.limit)
        .map(({ time, type, action, id, name }) => ({ time, type, action, id, name })),
      stale: state.staleness(),
    };
  }

  /** A container's health test never changes (a new one is a new container): asked once. */
  private async probeCommand(containers: ContainersApi, id: string): Promise<string | null> {
    const known = this.probeCommands.get(id);
    if (known !== undefined) return known;
    const inspect = await containers.find(id);
    const command = inspect ? healthProbeCommand(inspect) : null;
    if (this.probeCommands.size >= PROBE_CACHE_SIZE) this.probeCommands.clear();
    this.probeCommands.set(id, command);
    return command;
  }

  /** Stopped containers, unused networks, dangling (or unused) images, and unused volumes if asked. */
  async prune(
    hostId: string,
    options: { dryRun: boolean; allImages: boolean; volumes: boolean },
  ): Promise<SystemPruneResult> {
    const host = requireHost(this.hosts, hostId);
    const stopped = host.state
      .containers()
      .filter((c) => c.state === 'exited' || c.state === 'created' || c.state === 'dead');
    const removed: PruneResult['removed'] = [];
    const failed: PruneResult['failed'] = [];
    for (const c of stopped) {
      if (!options.dryRun) {
        try {
          await this.parts.actions.remove(hostId, c.id, {});
        } catch (err) {
          failed.push({ id: c.id, error: err instanceof Error ? err.message : String(err) });
          continue;
        }
      }
      removed.push({ id: c.id, name: c.name });
    }
    const containers: PruneResult = {
      dryRun: options.dryRun,
      removed,
      reclaimedBytes: 0,
      failed,
      cli: 'docker container prune --force',
    };
    const networks = await this.parts.networks.prune(hostId, options.dryRun);
    const images = await this.parts.images.prune(hostId, {
      mode: options.allImages ? 'unused' : 'dangling',
      dryRun: options.dryRun,
    });
    const volumes = options.volumes ? await this.parts.volumes.prune(hostId, options.dryRun) : null;
    const flags = [
      ...(options.allImages ? ['--all'] : []),
      ...(options.volumes ? ['--volumes'] : []),
      '--force',
    ];
    return {
      dryRun: options.dryRun,
      containers,
      networks,
      images,
      volumes,
      cli: dockerCommand('system', 'prune', ...flags),
    };
  }
}
