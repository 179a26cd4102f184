import { labelFlags, matchesLabel } from '../../docker/label-filter.js';
import { posix } from 'node:path';
import type {
  ArchiveUploadResult,
  DirectoryListing,
  PruneResult,
  Role,
  VolumeCreate,
  VolumeList,
  VolumeSummary,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { dockerCommand } from '../../core/docker-command.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { VolumesApi } from '../../docker/volumes-api.js';
import {
  containerPath,
  type Download,
  listFolder,
  openDownload,
} from '../containers/container-files.js';
import { archiveRefused, checkArchive } from '../containers/archive-upload.js';
import { archiveProbe, resolveInRoot, type Root } from '../containers/path-in-root.js';
import { requireHost } from '../hosts/require-host.js';
import { VOLUME_MOUNT, type VolumeHelper } from './volume-helper.js';

/** Volumes: list (sizes only on request), inspect, create, remove, prune, browsing, downloads and archive uploads within the volume. */
export class VolumesService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly helper: VolumeHelper,
    private readonly policy: {
      enforceVolume(role: Role, host: EngineHost, volume: VolumeCreate): Promise<void>;
    },
  ) {}

  async list(
    hostId: string,
    query: { size?: boolean; unused?: boolean } = {},
  ): Promise<VolumeList> {
    const host = requireHost(this.hosts, hostId);
    const sizes = new Map<string, number>();
    if (query.size) {
      for (const v of (await new VolumesApi(host.client).diskUsage()).Volumes ?? []) {
        if (v.UsageData && v.UsageData.Size >= 0) sizes.set(v.Name, v.UsageData.Size);
      }
    }
    const users = this.users(host);
    const volumes = host.state
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
    return { volumes, stale: host.state.staleness() };
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
    const unused = (await this.list(hostId, { unused: true, size: true })).volumes.filter((v) =>
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
    return this.helper.with(host, name, true, async (id, api) => {
      const target = await resolveInRoot(archiveProbe(api, id), this.root(host, name), inside);
      const listing = await listFolder(api, id, target);
      const strip = (p: string): string => p.slice(VOLUME_MOUNT.length) || '/';
      return {
        ...listing,
        path: strip(listing.path),
        entries: listing.entries.map((e) => ({ ...e, path: strip(e.path) })),
      };
    });
  }

  /** A file as itself, or a folder as tar; links are followed only within the volume. */
  async download(
    hostId: string,
    name: string,
    path: string,
    format: 'raw' | 'tar' | undefined,
  ): Promise<Download> {
    const inside = containerPath(path);
    const host = await this.existing(hostId, name);
    const base = posix.basename(inside) || name;
    return this.helper.withStream(host, name, true, async (id, api) => {
      const target = await resolveInRoot(archiveProbe(api, id), this.root(host, name), inside);
      return openDownload(api, id, target, format, base);
    });
  }

  /**
   * Unpacks a tar archive into a folder of the volume, through a helper that mounts it
   * writable. The archive is checked whole before the helper is made.
   */
  async uploadArchive(
    hostId: string,
    name: string,
    path: string,
    archive: Buffer,
  ): Promise<ArchiveUploadResult> {
    const inside = containerPath(path);
    const entries = await checkArchive(archive);
    const host = await this.existing(hostId, name);
    await this.helper.with(host, name, false, async (id, api) => {
      const target = await resolveInRoot(archiveProbe(api, id), this.root(host, name), inside);
      await api
        .putArchive(id, target, archive)
        .catch((err: unknown) => archiveRefused(err, inside));
    });
    const mount = `${name}:${VOLUME_MOUNT}`;
    return {
      path: inside,
      entries,
      size: archive.length,
      cli: `${dockerCommand('run', '--rm', '-i', '-v', mount, 'busybox', 'tar', '-x', '-C', posix.join(VOLUME_MOUNT, inside))} < archive.tar`,
    };
  }

  /** The volume as the helper mounts it; absolute links count where containers mount it. */
  private root(host: EngineHost, name: string): Root {
    const aliases = (this.users(host).get(name) ?? []).map((u) => u.destination);
    return { mount: VOLUME_MOUNT, label: `volume ${name}`, aliases };
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
