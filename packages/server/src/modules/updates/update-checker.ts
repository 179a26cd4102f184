import type { ImageUpdate } from '@berth/contract';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { parseImageReference } from '../../docker/registry-client.js';
import { requireHost } from '../hosts/require-host.js';
import type { RegistriesService } from '../registries/registries-service.js';
import type { UpdateChecksRepository } from './update-checks-repository.js';

/**
 * Update detection: for each tag that a container uses, compare the repo digest the engine
 * recorded when it pulled that tag with the registry's current manifest digest for it.
 */
export class UpdateChecker {
  private timer: NodeJS.Timeout | null = null;
  /** The image tags with an update available, per host, as the last checks found: read once. */
  private available: Promise<Map<string, Set<string>>> | null = null;

  constructor(
    private readonly checks: UpdateChecksRepository,
    private readonly hosts: EngineHosts,
    private readonly registries: RegistriesService,
    private readonly logger: Logger,
  ) {}

  async latest(hostId: string): Promise<ImageUpdate[]> {
    requireHost(this.hosts, hostId);
    const rows = await this.checks.forHost(hostId);
    return rows.map((r) => {
      const { tag } = parseImageReference(r.image);
      return {
        image: r.image,
        tag,
        localDigest: r.localDigest,
        remoteDigest: r.remoteDigest,
        status: r.status as ImageUpdate['status'],
        ...(r.reason ? { reason: r.reason } : {}),
        checkedAt: r.checkedAt,
      };
    });
  }

  /**
   * The image tags with an update available, per host, from the checks already made (never a
   * registry call): kept in memory, read again after each check.
   */
  knownUpdates(): Promise<Map<string, Set<string>>> {
    if (this.available) return this.available;
    const reading = this.checks.available().then((rows) => {
      const byHost = new Map<string, Set<string>>();
      for (const { hostId, image } of rows)
        byHost.set(hostId, (byHost.get(hostId) ?? new Set<string>()).add(image));
      return byHost;
    });
    this.available = reading;
    // A failed read is not remembered.
    reading.catch(() => {
      if (this.available === reading) this.available = null;
    });
    return reading;
  }

  async check(hostId: string): Promise<ImageUpdate[]> {
    const host = requireHost(this.hosts, hostId);
    const inUse = new Set(host.state.containers().map((c) => c.imageId));
    const tags = new Map<string, string[]>();
    for (const image of host.state.images()) {
      if (!inUse.has(image.Id)) continue;
      for (const tag of image.RepoTags ?? [])
        if (tag !== '<none>:<none>') tags.set(tag, image.RepoDigests ?? []);
    }
    const client = this.registries.client();
    const checkedAt = new Date().toISOString();
    const results: ImageUpdate[] = [];
    for (const [image, repoDigests] of tags) {
      results.push(await this.checkOne(client, image, repoDigests, checkedAt));
    }
    await this.checks.replaceForHost(
      hostId,
      results.map((r) => ({ ...r, reason: r.reason ?? null })),
    );
    this.available = null;
    return results;
  }

  /** Checks every host now, then every `hours` (0 turns the schedule off). */
  start(hours: number): void {
    if (hours <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.checkAll(), hours * 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async checkAll(): Promise<void> {
    for (const host of this.hosts.list()) {
      if (!host.state.status.reachable) continue;
      try {
        await this.check(host.id);
      } catch (err) {
        this.logger.warn({ host: host.id, err: errorMessage(err) }, 'update check failed');
      }
    }
  }

  private async checkOne(
    client: ReturnType<RegistriesService['client']>,
    image: string,
    repoDigests: string[],
    checkedAt: string,
  ): Promise<ImageUpdate> {
    let ref;
    try {
      ref = parseImageReference(image);
    } catch (err) {
      return {
        image,
        tag: '',
        localDigest: null,
        remoteDigest: null,
        status: 'unknown',
        reason: errorMessage(err),
        checkedAt,
      };
    }
    const repo = image.slice(0, image.length - ref.tag.length - 1);
    const local = repoDigests.find((d) => d.startsWith(`${repo}@`))?.split('@')[1] ?? null;
    if (!local) {
      return {
        image,
        tag: ref.tag,
        localDigest: null,
        remoteDigest: null,
        status: 'unknown',
        reason: 'built or loaded locally: no registry digest to compare',
        checkedAt,
      };
    }
    try {
      const remote = (await client.manifestDigest(image)).digest;
      return {
        image,
        tag: ref.tag,
        localDigest: local,
        remoteDigest: remote,
        status: remote === local ? 'up-to-date' : 'update-available',
        checkedAt,
      };
    } catch (err) {
      return {
        image,
        tag: ref.tag,
        localDigest: local,
        remoteDigest: null,
        status: 'unknown',
        reason: errorMessage(err),
        checkedAt,
      };
    }
  }
}
