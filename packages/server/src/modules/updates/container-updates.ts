import type { ContainerUpdateEntry, Role } from '@berth/contract';
import { AppError, errorMessage } from '../../core/errors.js';
import { ImagesApi, splitReference } from '../../docker/images-api.js';
import type { ContainerCreateService } from '../containers/container-create-service.js';
import type { ContainersService } from '../containers/containers-service.js';
import type { ImageTransfers } from '../images/image-transfers.js';
import type {
  ContainerUpdatesRepository,
  NewContainerUpdate,
} from './container-updates-repository.js';
import type { UpdateChecker } from './update-checker.js';

export interface Actor {
  role: Role;
  username: string | null;
}

type Kind = ContainerUpdateEntry['kind'];

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
    private readonly updateLog: ContainerUpdatesRepository,
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
    const row = await this.updateLog.find(hostId, historyId);
    if (!row || row.containerName !== name)
      throw AppError.notFound('updateLognot_found', `No update ${historyId} in ${name}'s history`);
    const images = new ImagesApi(host.client);
    if (!(await images.inspect(row.oldImageId))) {
      throw AppError.conflict(
        'old_image_gone',
        `The image ${row.oldImage} (${row.oldImageId.slice(7, 19)}) is no longer on ${hostId}`,
      );
    }
    // Point the old reference back at the old image, so the container runs it under its name.
    const { repository, tag } = splitReference(row.oldImage);
    await images.tag(row.oldImageId, repository, tag);
    return this.moveTo(actor, hostId, ref, 'rollback', () => row.oldImage, validateSeconds, false);
  }

  async history(hostId: string, ref: string): Promise<ContainerUpdateEntry[]> {
    const { name } = await this.containers.resolve(hostId, ref);
    return this.updateLog.forContainer(hostId, name);
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
      hostId,
      containerName: name,
      oldContainerId: id,
      oldImage,
      oldImageId: inspect.Image,
      oldDigest: repoDigest(old?.RepoDigests, oldImage),
      newImage,
      kind,
      username: actor.username,
    };
    if (pull) {
      const pulled = await this.transfers.start(hostId, 'pull', newImage, true);
      if (pulled.status !== 'done') {
        return this.record({
          ...base,
          newContainerId: null,
          newImageId: null,
          newDigest: null,
          outcome: 'failed',
          message: `pull failed: ${pulled.error ?? pulled.status}`,
        });
      }
    }
    const fresh = await images.inspect(newImage);
    if (!fresh) {
      return this.record({
        ...base,
        newContainerId: null,
        newImageId: null,
        newDigest: null,
        outcome: 'failed',
        message: `${newImage} is not on the host`,
      });
    }
    const after = { newImageId: fresh.Id, newDigest: repoDigest(fresh.RepoDigests, newImage) };
    if (fresh.Id === inspect.Image && kind === 'update') {
      return this.record({
        ...base,
        ...after,
        newContainerId: id,
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
        newContainerId: result.container.id,
        outcome: 'updated',
        message: result.validation?.message ?? null,
      });
    } catch (err) {
      const message = errorMessage(err);
      if (err instanceof AppError && err.code === 'recreate_failed') {
        return this.record({
          ...base,
          ...after,
          newContainerId: null,
          outcome: 'rolled-back',
          message,
        });
      }
      await this.record({ ...base, ...after, newContainerId: null, outcome: 'failed', message });
      throw err;
    }
  }

  private record(update: NewContainerUpdate): Promise<ContainerUpdateEntry> {
    return this.updateLog.add(update);
  }
}
