import type { Db } from '../../core/db/database.js';

/** Tags that moved away from an image, per host: "was nginx:latest". */
export class ImageTagsRepository {
  constructor(private readonly db: Db) {}

  /** Image id and lost tag, the most recently lost first. */
  async previousTags(hostId: string): Promise<{ imageId: string; tag: string }[]> {
    const rows = await this.db
      .selectFrom('image_previous_tags')
      .select(['image_id', 'tag'])
      .where('host_id', '=', hostId)
      .orderBy('moved_at', 'desc')
      .execute();
    return rows.map((r) => ({ imageId: r.image_id, tag: r.tag }));
  }

  async add(hostId: string, imageId: string, tags: string[]): Promise<void> {
    for (const tag of tags) {
      await this.db
        .insertInto('image_previous_tags')
        .values({ host_id: hostId, image_id: imageId, tag })
        .onConflict((oc) => oc.columns(['host_id', 'image_id', 'tag']).doNothing())
        .execute();
    }
  }

  /** Forgets the given tags of the image, or all of them when `tags` is left out. */
  async forget(hostId: string, imageId: string, tags?: string[]): Promise<void> {
    let query = this.db
      .deleteFrom('image_previous_tags')
      .where('host_id', '=', hostId)
      .where('image_id', '=', imageId);
    if (tags !== undefined) {
      if (tags.length === 0) return;
      query = query.where('tag', 'in', tags);
    }
    await query.execute();
  }
}
