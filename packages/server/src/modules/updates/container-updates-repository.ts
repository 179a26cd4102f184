import type { ContainerUpdateEntry } from '@berth/contract';
import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { ContainerUpdatesTable } from '../../core/db/schema.js';

/** One attempt to move a container to another image, as it is written down. */
export interface NewContainerUpdate {
  hostId: string;
  containerName: string;
  oldContainerId: string;
  newContainerId: string | null;
  oldImage: string;
  oldImageId: string;
  oldDigest: string | null;
  newImage: string;
  newImageId: string | null;
  newDigest: string | null;
  kind: ContainerUpdateEntry['kind'];
  outcome: ContainerUpdateEntry['outcome'];
  message: string | null;
  username: string | null;
}

function toEntry(r: Selectable<ContainerUpdatesTable>): ContainerUpdateEntry {
  return {
    id: r.id,
    containerName: r.container_name,
    kind: r.kind as ContainerUpdateEntry['kind'],
    oldImage: r.old_image,
    oldImageId: r.old_image_id,
    oldDigest: r.old_digest,
    newImage: r.new_image,
    newImageId: r.new_image_id,
    newDigest: r.new_digest,
    outcome: r.outcome as ContainerUpdateEntry['outcome'],
    message: r.message,
    username: r.username,
    at: r.at,
  };
}

/** Each container's update history (updates, retags, rollbacks), per host. */
export class ContainerUpdatesRepository {
  constructor(private readonly db: Db) {}

  async find(hostId: string, id: number): Promise<ContainerUpdateEntry | undefined> {
    const row = await this.db
      .selectFrom('container_updates')
      .selectAll()
      .where('id', '=', id)
      .where('host_id', '=', hostId)
      .executeTakeFirst();
    return row ? toEntry(row) : undefined;
  }

  /** Newest first. */
  async forContainer(hostId: string, containerName: string): Promise<ContainerUpdateEntry[]> {
    const rows = await this.db
      .selectFrom('container_updates')
      .selectAll()
      .where('host_id', '=', hostId)
      .where('container_name', '=', containerName)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toEntry);
  }

  async add(update: NewContainerUpdate): Promise<ContainerUpdateEntry> {
    const inserted = await this.db
      .insertInto('container_updates')
      .values({
        host_id: update.hostId,
        container_name: update.containerName,
        old_container_id: update.oldContainerId,
        new_container_id: update.newContainerId,
        old_image: update.oldImage,
        old_image_id: update.oldImageId,
        old_digest: update.oldDigest,
        new_image: update.newImage,
        new_image_id: update.newImageId,
        new_digest: update.newDigest,
        kind: update.kind,
        outcome: update.outcome,
        message: update.message,
        username: update.username,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEntry(inserted);
  }
}
