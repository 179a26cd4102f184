import { finished, Readable } from 'node:stream';
import { AppError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { ContainersApi } from '../../docker/containers-api.js';
import type { EngineHost } from '../../docker/engine-hosts.js';
import { ImagesApi } from '../../docker/images-api.js';
import { readNdjson } from '../../docker/ndjson.js';
import { OPERATION_LABEL } from '../journal/operation-journal.js';

export const VOLUME_MOUNT = '/volume';
const HELPER_LABEL = 'io.berth.helper';

/**
 * Volumes have no file API of their own: Berth mounts one into a short-lived container (created,
 * never started — the engine's archive API works on stopped containers) and reads or writes
 * through that, then removes the container.
 */
export class VolumeHelper {
  constructor(
    private readonly image: string,
    private readonly log?: Logger,
  ) {}

  /**
   * `operation` (a journal entry's id) labels the helper, so recovery can remove it when the
   * process dies before it does.
   */
  async with<T>(
    host: EngineHost,
    volume: string,
    readOnly: boolean,
    work: (containerId: string, api: ContainersApi) => Promise<T>,
    operation?: string,
  ): Promise<T> {
    const { id, api } = await this.create(host, volume, readOnly, operation);
    try {
      return await work(id, api);
    } finally {
      await api.remove(id, { force: true });
    }
  }

  /**
   * Like `with`, for work that hands back a body still being read out of the container (a file
   * download): the container stays until that stream has ended, failed or lost its reader.
   * Removing it when `work` returns cut downloads short.
   */
  async withStream<T extends { body: Readable | Buffer }>(
    host: EngineHost,
    volume: string,
    readOnly: boolean,
    work: (containerId: string, api: ContainersApi) => Promise<T>,
  ): Promise<T> {
    const { id, api } = await this.create(host, volume, readOnly);
    let result: T;
    try {
      result = await work(id, api);
    } catch (err) {
      await api.remove(id, { force: true });
      throw err;
    }
    const release = (): void => {
      api.remove(id, { force: true }).then(undefined, (err: unknown) => {
        this.log?.warn(
          { container: id, err: errorMessage(err) },
          'could not remove a volume helper container',
        );
      });
    };
    if (result.body instanceof Readable) finished(result.body, release);
    else release();
    return result;
  }

  /** Removes the helpers of a journalled operation (at most the one it was using). */
  async removeFor(host: EngineHost, operation: string): Promise<number> {
    const api = new ContainersApi(host.client);
    const helpers = await host.client.listContainers({
      label: [`${HELPER_LABEL}=true`, `${OPERATION_LABEL}=${operation}`],
    });
    for (const helper of helpers) await api.remove(helper.Id, { force: true });
    return helpers.length;
  }

  private async create(
    host: EngineHost,
    volume: string,
    readOnly: boolean,
    operation?: string,
  ): Promise<{ id: string; api: ContainersApi }> {
    const api = new ContainersApi(host.client);
    const image = await this.imageOn(host);
    const id = await api.create(undefined, {
      Image: image,
      Cmd: ['true'],
      Labels: { [HELPER_LABEL]: 'true', ...(operation ? { [OPERATION_LABEL]: operation } : {}) },
      HostConfig: {
        Mounts: [{ Type: 'volume', Source: volume, Target: VOLUME_MOUNT, ReadOnly: readOnly }],
        NetworkMode: 'none',
      },
    });
    return { id, api };
  }

  /**
   * The image to create the helper from. The helper is never started, so its content does not
   * matter: the configured image if the host has it, else any image the host already has (a
   * machine that cannot pull still browses and backs up), and only on a host with no image at
   * all is the configured one pulled.
   */
  private async imageOn(host: EngineHost): Promise<string> {
    const images = new ImagesApi(host.client);
    if (await images.inspect(this.image)) return this.image;
    const local = await host.client.listImages();
    const tagged = local.find((i) => i.RepoTags?.some((t) => t !== '<none>:<none>'));
    const standIn = tagged ?? local[0];
    if (standIn) {
      this.log?.debug(
        { host: host.id, image: standIn.Id, configured: this.image },
        'volume helper uses a local image in place of BERTH_HELPER_IMAGE',
      );
      return standIn.Id;
    }
    let failure: string | null = null;
    try {
      const progress = await images.pull(this.image, undefined, AbortSignal.timeout(300_000));
      for await (const line of readNdjson<{ error?: string }>(progress))
        if (line.error) failure = line.error;
    } catch (err) {
      failure = errorMessage(err);
    }
    if (failure !== null || !(await images.inspect(this.image))) {
      throw AppError.unavailable(
        'helper_image_missing',
        `${host.id} has no image at all and the helper image ${this.image} could not be pulled (${failure ?? 'unknown'}); set BERTH_HELPER_IMAGE to an image the host can pull, or load any image onto it`,
        { setting: 'BERTH_HELPER_IMAGE', image: this.image },
      );
    }
    return this.image;
  }
}
