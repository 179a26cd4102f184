import { runDetached } from '../../core/detached.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHost } from '../../docker/engine-hosts.js';
import type { ImageTagsRepository } from './image-tags-repository.js';

/**
 * Remembers tags that move away from an image: after `docker pull nginx:latest` brings a new
 * image, the old one shows "was nginx:latest" instead of an anonymous <none>. It watches each
 * host's image changes and keeps the lost tags in the database.
 */
export class ImageTagsTracker {
  private readonly known = new Map<string, Map<string, string[]>>();

  constructor(
    private readonly tags: ImageTagsRepository,
    private readonly logger: Logger,
  ) {}

  watch(host: EngineHost): () => void {
    const snapshot = (): Map<string, string[]> =>
      new Map(host.state.images().map((i) => [i.Id, i.RepoTags ?? []]));
    this.known.set(host.id, snapshot());
    return host.state.onChange((change) => {
      if (change.kind !== 'image') return;
      const before = this.known.get(host.id) ?? new Map<string, string[]>();
      const after = snapshot();
      this.known.set(host.id, after);
      runDetached(
        this.record(
          host.id,
          change.id,
          change.action,
          before.get(change.id) ?? [],
          after.get(change.id) ?? [],
        ),
        this.logger,
        { host: host.id, image: change.id, action: change.action },
        'previous image tags not recorded',
      );
    });
  }

  async previousTags(hostId: string): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const { imageId, tag } of await this.tags.previousTags(hostId))
      out.set(imageId, [...(out.get(imageId) ?? []), tag]);
    return out;
  }

  private async record(
    hostId: string,
    imageId: string,
    action: 'upsert' | 'remove',
    before: string[],
    after: string[],
  ): Promise<void> {
    if (action === 'remove') {
      await this.tags.forget(hostId, imageId);
      return;
    }
    await this.tags.add(
      hostId,
      imageId,
      before.filter((tag) => !after.includes(tag)),
    );
    // A tag that came back is current again, not previous.
    if (after.length > 0) await this.tags.forget(hostId, imageId, after);
  }
}
