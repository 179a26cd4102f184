import { labelFlags, matchesLabel } from '../../docker/label-filter.js';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type {
  DirectoryListing,
  PruneResult,
  Role,
  VolumeCreate,
  VolumeSummary,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { dockerCommand } from '../../docker/docker-run-command.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { VolumesApi } from '../../docker/volumes-api.js';
import type { ContainerFilesService } from '../containers/container-files.js';
import { containerPath } from '../containers/container-files.js';
import { requireHost } from '../hosts/require-host.js';
import { VOLUME_MOUNT, type VolumeHelper } from './volume-helper.js';

/** Volumes: list (sizes only on request), inspect, create, remove, prune, read-only browsing. */
export class VolumesService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly helper: VolumeHelper,
    private readonly files: ContainerFilesService,
    private readonly policy: {
      enforceVolume(role: Role, host: EngineHost, volume: VolumeCreate): Promise<void>;
    },
  ) {}

  async list(
    hostId: string,
    query: { size?: boolean; unused?: boolean } = {},
  ): Promise<VolumeSummary[]> {
    const host = requireHost(this.hosts, hostId);
    const sizes = new Map<string, number>();
    if (query.size) {
      for (const v of (await new VolumesApi(host.client).diskUsage()).Volumes ?? []) {
        if (v.UsageData && v.UsageData.Size >= 0) sizes.set(v.Name, v.UsageData.Size);
      }
    }
    const users = this.users(host);
    return host.state
      .volumes()
      .map((v) => ({
        name: v.Name,
        driver: v.Driver,
        mountpoint: v.Mountpoint,
        scope: v.Scope,
        createdAt: v.CreatedAt ?? null,
        labels: v.Labels ?? {},
        options: v.Options ?? {},
        usedBy: users.get(v.Name) ?? [],
        sizeBytes: sizes.get(v.Name) ?? null,
      }))
      .filter((v) => query.unused === undefined || (v.usedBy.length === 0) === query.unused)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(hostId: string, name: string): Promise<VolumeSummary> {
    const host = requireHost(this.hosts, hostId);
    const raw = await new VolumesApi(host.client).find(name);
    if (!raw) throw AppError.notFound('volume_not_found', `No volume "${name}" on ${hostId}`);
    return {
      name: raw.Name,
      driver: raw.Driver,
      mountpoint: raw.Mountpoint,
      scope: raw.Scope,
      createdAt: raw.CreatedAt ?? null,
      labels: raw.Labels ?? {},
      options: raw.Options ?? {},
      usedBy: this.users(host).get(raw.Name) ?? [],
      sizeBytes: null,
    };
  }

  async create(
    role: Role,
    hostId: string,
    input: VolumeCreate,
  ): Promise<VolumeSummary & { cli: string }> {
    const host = requireHost(this.hosts, hostId);
    await this.policy.enforceVolume(role, host, input);
    const api = new VolumesApi(host.client);
    if (input.name && (await api.find(input.name))) {
      throw AppError.conflict(
        'volume_exists',
        `A volume named "${input.name}" exists on ${hostId}`,
      );
    }
    const created = await api.create({
      ...(input.name ? { Name: input.name } : {}),
      Driver: input.driver,
      ...(input.options ? { DriverOpts: input.options } : {}),
      ...(input.labels ? { Labels: input.labels } : {}),
    });
    await host.state.refreshNow('volume', created.Name);
    const flags = [
      ...(input.driver !== 'local' ? ['--driver', input.driver] : []),
      ...Object.entries(input.options ?? {}).flatMap(([k, v]) => ['--opt', `${k}=${v}`]),
      ...Object.entries(input.labels ?? {}).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    ];
    return {
      ...(await this.get(hostId, created.Name)),
      cli: dockerCommand('volume', 'create', ...flags, created.Name),
    };
  }

  async remove(hostId: string, name: string, force: boolean): Promise<{ ok: true; cli: string }> {
    const host = requireHost(this.hosts, hostId);
    try {
      await new VolumesApi(host.client).remove(name, force);
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 409) {
        throw AppError.conflict(
          'volume_in_use',
          `${name} is in use by a container: remove that first`,
        );
      }
      if (err instanceof EngineRequestError && err.statusCode === 404) {
        throw AppError.notFound('volume_not_found', `No volume "${name}" on ${hostId}`);
      }
      throw err;
    }
    await host.state.refreshNow('volume', name);
    return { ok: true, cli: dockerCommand('volume', 'rm', ...(force ? ['--force'] : []), name) };
  }

  /** Unused local volumes; the dry run (default) only lists them and their size. */
  async prune(hostId: string, dryRun: boolean, label?: string): Promise<PruneResult> {
    const host = requireHost(this.hosts, hostId);
    const unused = (await this.list(hostId, { unused: true, size: true })).filter((v) =>
      matchesLabel(v.labels, label),
    );
    const api = new VolumesApi(host.client);
    const removed: PruneResult['removed'] = [];
    const failed: PruneResult['failed'] = [];
    let reclaimedBytes = 0;
    for (const v of unused) {
      if (!dryRun) {
        try {
          await api.remove(v.name, false);
        } catch (err) {
          failed.push({ id: v.name, error: err instanceof Error ? err.message : String(err) });
          continue;
        }
      }
      removed.push({ id: v.name, name: v.name });
      reclaimedBytes += v.sizeBytes ?? 0;
    }
    return {
      dryRun,
      removed,
      reclaimedBytes,
      failed,
      cli: dockerCommand('volume', 'prune', '--all', ...labelFlags(label), '--force'),
    };
  }

  async browse(hostId: string, name: string, path: string): Promise<DirectoryListing> {
    const inside = containerPath(path);
    const host = await this.existing(hostId, name);
    return this.helper.with(host, name, true, async (id) => {
      const listing = await this.files.list(hostId, id, posix.join(VOLUME_MOUNT, inside));
      const strip = (p: string): string => p.slice(VOLUME_MOUNT.length) || '/';
      return {
        ...listing,
        path: strip(listing.path),
        entries: listing.entries.map((e) => ({ ...e, path: strip(e.path) })),
      };
    });
  }

  async download(
    hostId: string,
    name: string,
    path: string,
  ): Promise<{ filename: string; contentType: string; body: Readable | Buffer }> {
    const inside = containerPath(path);
    const host = await this.existing(hostId, name);
    return this.helper.withStream(host, name, true, async (id) => {
      const file = await this.files.download(hostId, id, posix.join(VOLUME_MOUNT, inside), 'raw');
      return { filename: file.filename, contentType: file.contentType, body: file.body };
    });
  }

  private async existing(hostId: string, name: string): Promise<EngineHost> {
    const host = requireHost(this.hosts, hostId);
    if (!(await new VolumesApi(host.client).find(name)))
      throw AppError.notFound('volume_not_found', `No volume "${name}" on ${hostId}`);
    return host;
  }

  private users(host: EngineHost): Map<string, VolumeSummary['usedBy']> {
    const users = new Map<string, VolumeSummary['usedBy']>();
    for (const c of host.state.containers()) {
      if (c.labels['io.berth.helper'] === 'true') continue;
      for (const m of c.mounts) {
        if (m.type !== 'volume' || !m.name) continue;
        users.set(m.name, [
          ...(users.get(m.name) ?? []),
          { id: c.id, name: c.name, state: c.state, destination: m.destination },
        ]);
      }
    }
    return users;
  }
}
