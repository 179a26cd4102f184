import { labelFlags, matchesLabel } from '../../docker/label-filter.js';
import type { ImageList, ImageSummary, PruneResult } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { dockerCommand } from '../../core/docker-command.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { ImagesApi } from '../../docker/images-api.js';
import { requireHost } from '../hosts/require-host.js';
import type { ImageTagsTracker } from './image-tags-tracker.js';

/** Images: listing from the engine state (with who uses them), inspect, tag, remove, prune. */
export class ImagesService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly tags: ImageTagsTracker,
  ) {}

  async list(
    hostId: string,
    query: { dangling?: boolean; unused?: boolean; reference?: string } = {},
  ): Promise<ImageList> {
    const host = requireHost(this.hosts, hostId);
    const previous = await this.tags.previousTags(hostId);
    const users = new Map<string, ImageSummary['usedBy']>();
    for (const c of host.state.containers()) {
      users.set(c.imageId, [
        ...(users.get(c.imageId) ?? []),
        { id: c.id, name: c.name, state: c.state },
      ]);
    }
    const images = host.state
      .images()
      .map((raw): ImageSummary => {
        const tags = (raw.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
        const usedBy = users.get(raw.Id) ?? [];
        return {
          id: raw.Id,
          shortId: raw.Id.replace(/^sha256:/, '').slice(0, 12),
          tags,
          digests: (raw.RepoDigests ?? []).filter((d) => !d.startsWith('<none>')),
          size: raw.Size,
          created: new Date(raw.Created * 1000).toISOString(),
          usedBy,
          dangling: tags.length === 0,
          unused: usedBy.length === 0,
          previousTags: previous.get(raw.Id) ?? [],
          labels: raw.Labels ?? {},
        };
      })
      .filter((i) => query.dangling === undefined || i.dangling === query.dangling)
      .filter((i) => query.unused === undefined || i.unused === query.unused)
      .filter((i) => !query.reference || i.tags.some((t) => t.includes(query.reference ?? '')))
      .sort((a, b) => b.created.localeCompare(a.created));
    return { images, stale: host.state.staleness() };
  }

  async inspect(hostId: string, ref: string): Promise<Record<string, unknown>> {
    const { api, id } = await this.resolve(hostId, ref);
    const inspect = await api.inspect(id);
    if (!inspect) throw AppError.notFound('image_not_found', `No image "${ref}" on ${hostId}`);
    return { ...inspect };
  }

  async history(
    hostId: string,
    ref: string,
  ): Promise<{
    layers: { id: string; created: string; createdBy: string; size: number; tags: string[] }[];
  }> {
    const { api, id } = await this.resolve(hostId, ref);
    const layers = await api.history(id);
    return {
      layers: layers.map((l) => ({
        id: l.Id,
        created: new Date(l.Created * 1000).toISOString(),
        createdBy: l.CreatedBy,
        size: l.Size,
        tags: l.Tags ?? [],
      })),
    };
  }

  async tag(
    hostId: string,
    ref: string,
    repository: string,
    tag: string,
  ): Promise<{ ok: true; cli: string }> {
    const { api, id, label } = await this.resolve(hostId, ref);
    await api.tag(id, repository, tag);
    return { ok: true, cli: dockerCommand('tag', label, `${repository}:${tag}`) };
  }

  async remove(hostId: string, ref: string, force: boolean): Promise<{ ok: true; cli: string }> {
    const { api, label } = await this.resolve(hostId, ref);
    try {
      // A tag given: untag it (the image goes only with its last tag), as `docker rmi` does.
      await api.remove(label, force);
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 409) {
        throw AppError.conflict('image_in_use', `${label} is in use: ${err.message}`);
      }
      throw err;
    }
    return { ok: true, cli: dockerCommand('rmi', ...(force ? ['--force'] : []), label) };
  }

  /** Lists first (dry run) or removes: dangling images, or unused ones older than N days. */
  async prune(
    hostId: string,
    request: {
      mode: 'dangling' | 'unused';
      olderThanDays?: number | undefined;
      label?: string | undefined;
      dryRun: boolean;
    },
  ): Promise<PruneResult> {
    const host = requireHost(this.hosts, hostId);
    const cutoff =
      request.olderThanDays === undefined
        ? Infinity
        : Date.now() - request.olderThanDays * 86_400_000;
    const candidates = (await this.list(hostId)).images.filter(
      (i) =>
        i.unused &&
        (request.mode === 'unused' || i.dangling) &&
        Date.parse(i.created) < cutoff &&
        matchesLabel(i.labels, request.label),
    );
    const api = new ImagesApi(host.client);
    const removed: PruneResult['removed'] = [];
    const failed: PruneResult['failed'] = [];
    let reclaimedBytes = 0;
    for (const image of candidates) {
      const name = image.tags[0] ?? image.shortId;
      if (!request.dryRun) {
        try {
          await api.remove(image.id, true);
        } catch (err) {
          failed.push({ id: image.id, error: err instanceof Error ? err.message : String(err) });
          continue;
        }
      }
      removed.push({ id: image.id, name });
      reclaimedBytes += image.size;
    }
    const until =
      request.olderThanDays === undefined
        ? []
        : ['--filter', `until=${request.olderThanDays * 24}h`];
    return {
      dryRun: request.dryRun,
      removed,
      reclaimedBytes,
      failed,
      cli: dockerCommand(
        'image',
        'prune',
        ...(request.mode === 'unused' ? ['--all'] : []),
        ...until,
        ...labelFlags(request.label),
        '--force',
      ),
    };
  }

  /** An image by id, id prefix or reference; `label` is what the user called it. */
  async resolve(
    hostId: string,
    ref: string,
  ): Promise<{ host: EngineHost; api: ImagesApi; id: string; label: string }> {
    const host = requireHost(this.hosts, hostId);
    const api = new ImagesApi(host.client);
    const byTag = host.state
      .images()
      .find((i) => i.RepoTags?.includes(ref) || i.RepoTags?.includes(`${ref}:latest`));
    if (byTag) return { host, api, id: byTag.Id, label: ref };
    const hex = ref.replace(/^sha256:/, '');
    if (/^[0-9a-f]{1,64}$/.test(hex)) {
      const matches = host.state
        .images()
        .filter((i) => i.Id.replace(/^sha256:/, '').startsWith(hex));
      if (matches.length > 1)
        throw AppError.badRequest('ambiguous_id', `"${ref}" matches ${matches.length} images`);
      const [only] = matches;
      if (only) return { host, api, id: only.Id, label: ref };
    }
    const inspect = await api.inspect(ref);
    if (!inspect) throw AppError.notFound('image_not_found', `No image "${ref}" on ${hostId}`);
    return { host, api, id: inspect.Id, label: ref };
  }
}
