import { statfs } from 'node:fs/promises';
import type { AlertRule } from '@berth/contract';
import type { EngineHost } from '../../docker/engine-hosts.js';
import { DEFAULT_THRESHOLD, type Candidate } from './alert-candidate.js';

/** How full the disk under Docker's data root is. */
export interface DiskUsage {
  path: string;
  percent: number;
}

/** A scheduled backup whose last run failed. */
export interface BackupFailure {
  hostId: string;
  volume: string;
  error: string;
  at: string | null;
}

const DISK_TTL_MS = 60_000;

/**
 * Reads the disk under each engine's data root (`docker info`'s DockerRootDir), at most once
 * a minute per host. Only for engines on this machine (a unix socket here): the data root of
 * a remote engine is not a path Berth can look at.
 */
export class DataRootDisks {
  private readonly cache = new Map<string, { at: number; usage: DiskUsage | null }>();

  constructor(private readonly now: () => number = Date.now) {}

  async usage(host: EngineHost): Promise<DiskUsage | null> {
    const held = this.cache.get(host.id);
    if (held && this.now() - held.at < DISK_TTL_MS) return held.usage;
    let usage: DiskUsage | null = null;
    if (host.socketPath !== null && host.state.status.reachable) {
      const path = (await host.client.info()).DockerRootDir;
      const fs = await statfs(path);
      const total = fs.blocks * fs.bsize;
      // As df counts it: used over what a non-root user could have (used + available).
      const used = (fs.blocks - fs.bfree) * fs.bsize;
      const usable = used + fs.bavail * fs.bsize;
      usage = { path, percent: total > 0 && usable > 0 ? (100 * used) / usable : 0 };
    }
    this.cache.set(host.id, { at: this.now(), usage });
    return usage;
  }
}

/** Subjects of the host-wide kinds other than reachability: the data root disk, backups. */
export function hostCandidates(
  rule: AlertRule,
  hosts: EngineHost[],
  disks: Map<string, DiskUsage>,
  backups: BackupFailure[],
): Candidate[] {
  if (rule.kind === 'disk_usage_above') {
    const threshold = rule.threshold ?? DEFAULT_THRESHOLD.disk_usage_above;
    return hosts.flatMap((host) => {
      const disk = disks.get(host.id);
      if (!disk || disk.percent <= threshold) return [];
      return [
        {
          subject: host.id,
          hostId: host.id,
          containerName: null,
          labels: {},
          summary: `Docker's data root ${disk.path} on ${host.name} is ${disk.percent.toFixed(1)}% full (over ${threshold}%)`,
        },
      ];
    });
  }
  if (rule.kind === 'backup_failed') {
    const ids = new Set(hosts.map((h) => h.id));
    return backups
      .filter((b) => ids.has(b.hostId))
      .map((b) => ({
        subject: `${b.hostId}/volume:${b.volume}`,
        hostId: b.hostId,
        containerName: null,
        labels: {},
        summary: `The scheduled backup of volume ${b.volume} failed: ${b.error}`,
      }));
  }
  return [];
}
