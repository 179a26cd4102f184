import type { ContainerUpdateEntry, Role } from '@berth/contract';
import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { ContainerUpdatesTable } from '../../core/db/schema.js';
import { AppError, errorMessage } from '../../core/errors.js';
import { ImagesApi, splitReference } from '../../docker/images-api.js';
import type { ContainerCreateService } from '../containers/container-create-service.js';
import type { ContainersService } from '../containers/containers-service.js';
import type { ImageTransfers } from '../images/image-transfers.js';
import type { UpdateChecker } from './update-checker.js';

export interface Actor {
  role: Role;
  username: string | null;
}

type Kind = ContainerUpdateEntry['kind'];

function toEntry(r: Selectable<ContainerUpdatesTable>): ContainerUpdateEntry {
  return {
    id: r.id,
    containerName: r.container_name,
    kind: r.kind as Kind,
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

function repoDigest(digests: string[] | null | undefined, reference: string): string | null {
  const { repository } = splitReference(reference);
  return digests?.find((d) => d.startsWith(`${repository}@`))?.split('@')[1] ?? null;
}

/**
 * Updating a container to what its tag now points to, moving it to another tag (retag), and
 * going back (rollback): pull, recreate with the same configuration, validate, and on failure
 * the recreate restores the old container. Every attempt lands in the container's history.
 */
export class ContainerUpdates {
  constructor(
    private readonly db: Db,
    private readonly containers: ContainersService,
    private readonly creator: ContainerCreateService,
    private readonly transfers: ImageTransfers,
    private readonly checker: UpdateChecker,
  ) {}

  update(
    actor: Actor,
    hostId: string,
    ref: string,
    validateSeconds: number,
  ): Promise<ContainerUpdateEntry> {
    return this.moveTo(actor, hostId, ref, 'update', (current) => current, validateSeconds);
  }

  retag(
    actor: Actor,
    hostId: string,
    ref: string,
    tag: string,
    validateSeconds: number,
  ): Promise<ContainerUpdateEntry> {
    return this.moveTo(
      actor,
      hostId,
      ref,
      'retag',
      (current) => `${splitReference(current).repository}:${tag}`,
      validateSeconds,
    );
  }

  async rollback(
    actor: Actor,
    hostId: string,
    ref: string,
    historyId: number,
    validateSeconds: number,
  ): Promise<ContainerUpdateEntry> {
    const { name, host } = await this.containers.resolve(hostId, ref);
    const row = await this.db
      .selectFrom('container_updates')
      .selectAll()
      .where('id', '=', historyId)
      .where('host_id', '=', hostId)
      .executeTakeFirst();
    if (!row || row.container_name !== name)
      throw AppError.notFound('history_not_found', `No update ${historyId} in ${name}'s history`);
    const images = new ImagesApi(host.client);
    if (!(await images.inspect(row.old_image_id))) {
      throw AppError.conflict(
        'old_image_gone',
        `The image ${row.old_image} (${row.old_image_id.slice(7, 19)}) is no longer on ${hostId}`,
      );
    }
    // Point the old reference back at the old image, so the container runs it under its name.
    const { repository, tag } = splitReference(row.old_image);
    await images.tag(row.old_image_id, repository, tag);
    return this.moveTo(actor, hostId, ref, 'rollback', () => row.old_image, validateSeconds, false);
  }

  async history(hostId: string, ref: string): Promise<ContainerUpdateEntry[]> {
    const { name } = await this.containers.resolve(hostId, ref);
    const rows = await this.db
      .selectFrom('container_updates')
      .selectAll()
      .where('host_id', '=', hostId)
      .where('container_name', '=', name)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toEntry);
  }

  /** Containers whose image has an update, from the latest check: exactly what apply would touch. */
  async preview(hostId: string): Promise<
    {
      id: string;
      name: string;
      image: string;
      localDigest: string | null;
      remoteDigest: string | null;
    }[]
  > {
    const available = (await this.checker.latest(hostId)).filter(
      (u) => u.status === 'update-available',
    );
    const all = (await this.containers.list(hostId)).containers;
    return all.flatMap((c) => {
      const hit = available.find((u) => u.image === c.image || `${c.image}:latest` === u.image);
      return hit
        ? [
            {
              id: c.id,
              name: c.name,
              image: hit.image,
              localDigest: hit.localDigest,
              remoteDigest: hit.remoteDigest,
            },
          ]
        : [];
    });
  }

  async apply(
    actor: Actor,
    hostId: string,
    ids: string[],
    validateSeconds: number,
  ): Promise<
    { id: string; name: string | null; ok: boolean; outcome: string; message: string | null }[]
  > {
    const allowed = new Map((await this.preview(hostId)).map((p) => [p.id, p]));
    const results = [];
    for (const id of ids) {
      const item =
        allowed.get(id) ?? [...allowed.values()].find((p) => p.name === id || p.id.startsWith(id));
      if (!item) {
        results.push({
          id,
          name: null,
          ok: false,
          outcome: 'skipped',
          message: 'not in the preview: nothing done',
        });
        continue;
      }
      try {
        const entry = await this.update(actor, hostId, item.id, validateSeconds);
        results.push({
          id: item.id,
          name: item.name,
          ok: entry.outcome === 'updated' || entry.outcome === 'up-to-date',
          outcome: entry.outcome,
          message: entry.message,
        });
      } catch (err) {
        results.push({
          id: item.id,
          name: item.name,
          ok: false,
          outcome: 'failed',
          message: errorMessage(err),
        });
      }
    }
    return results;
  }

  private async moveTo(
    actor: Actor,
    hostId: string,
    ref: string,
    kind: Kind,
    target: (currentImage: string) => string,
    validateSeconds: number,
    pull = true,
  ): Promise<ContainerUpdateEntry> {
    const { api, id, name, host } = await this.containers.resolve(hostId, ref);
    const inspect = await api.inspect(id);
    const images = new ImagesApi(host.client);
    const oldImage = inspect.Config.Image;
    const newImage = target(oldImage);
    const old = await images.inspect(inspect.Image);
    const base = {
      host_id: hostId,
      container_name: name,
      old_container_id: id,
      old_image: oldImage,
      old_image_id: inspect.Image,
      old_digest: repoDigest(old?.RepoDigests, oldImage),
      new_image: newImage,
      kind,
      username: actor.username,
    };
    if (pull) {
      const pulled = await this.transfers.start(hostId, 'pull', newImage, true);
      if (pulled.status !== 'done') {
        return this.record({
          ...base,
          new_container_id: null,
          new_image_id: null,
          new_digest: null,
          outcome: 'failed',
          message: `pull failed: ${pulled.error ?? pulled.status}`,
        });
      }
    }
    const fresh = await images.inspect(newImage);
    if (!fresh) {
      return this.record({
        ...base,
        new_container_id: null,
        new_image_id: null,
        new_digest: null,
        outcome: 'failed',
        message: `${newImage} is not on the host`,
      });
    }
    const after = { new_image_id: fresh.Id, new_digest: repoDigest(fresh.RepoDigests, newImage) };
    if (fresh.Id === inspect.Image && kind === 'update') {
      return this.record({
        ...base,
        ...after,
        new_container_id: id,
        outcome: 'up-to-date',
        message: 'already running the newest image',
      });
    }
    try {
      const result = await this.creator.recreate(actor.role, hostId, id, {
        image: newImage,
        validateSeconds,
        replace: false,
      });
      return this.record({
        ...base,
        ...after,
        new_container_id: result.container.id,
        outcome: 'updated',
        message: result.validation?.message ?? null,
      });
    } catch (err) {
      const message = errorMessage(err);
      if (err instanceof AppError && err.code === 'recreate_failed') {
        return this.record({
          ...base,
          ...after,
          new_container_id: null,
          outcome: 'rolled-back',
          message,
        });
      }
      await this.record({ ...base, ...after, new_container_id: null, outcome: 'failed', message });
      throw err;
    }
  }

  private async record(
    row: Omit<ContainerUpdatesTable, 'id' | 'at'>,
  ): Promise<ContainerUpdateEntry> {
    const inserted = await this.db
      .insertInto('container_updates')
      .values(row)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEntry(inserted);
  }
}
