import type { Db } from '../../core/db/database.js';
import { runDetached } from '../../core/detached.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHost } from '../../docker/engine-hosts.js';

/**
 * Remembers tags that move away from an image: after `docker pull nginx:latest` brings a new
 * image, the old one shows "was nginx:latest" instead of an anonymous <none>. It watches each
 * host's image changes and keeps the lost tags in the database.
 */
export class ImageTagsTracker {
  private readonly known = new Map<string, Map<string, string[]>>();

  constructor(
    private readonly db: Db,
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
    const rows = await this.db
      .selectFrom('image_previous_tags')
      .select(['image_id', 'tag'])
      .where('host_id', '=', hostId)
      .orderBy('moved_at', 'desc')
      .execute();
    const out = new Map<string, string[]>();
    for (const row of rows) out.set(row.image_id, [...(out.get(row.image_id) ?? []), row.tag]);
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
      await this.db
        .deleteFrom('image_previous_tags')
        .where('host_id', '=', hostId)
        .where('image_id', '=', imageId)
        .execute();
      return;
    }
    const lost = before.filter((tag) => !after.includes(tag));
    for (const tag of lost) {
      await this.db
        .insertInto('image_previous_tags')
        .values({ host_id: hostId, image_id: imageId, tag })
        .onConflict((oc) => oc.columns(['host_id', 'image_id', 'tag']).doNothing())
        .execute();
    }
    // A tag that came back is current again, not previous.
    if (after.length > 0) {
      await this.db
        .deleteFrom('image_previous_tags')
        .where('host_id', '=', hostId)
        .where('image_id', '=', imageId)
        .where('tag', 'in', after)
        .execute();
    }
  }
}
