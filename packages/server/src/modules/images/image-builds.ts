import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type BuildResult, shellJoin } from '@berth/contract';
import { errorMessage } from '../../core/errors.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { ImagesApi } from '../../docker/images-api.js';
import { readNdjson } from '../../docker/ndjson.js';
import { packArchive } from '../../docker/tar-write.js';
import { requireHost } from '../hosts/require-host.js';

interface BuildLine {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

const MAX_LOG_LINES = 5_000;

/** Image builds: from a Dockerfile text or an uploaded context, the log streamed as progress. */
export class ImageBuilds {
  constructor(private readonly hosts: EngineHosts) {}

  fromDockerfile(
    hostId: string,
    dockerfile: string,
    tags: string[],
    buildArgs: Record<string, string>,
  ): Promise<BuildResult> {
    return this.build(
      hostId,
      packArchive([{ name: 'Dockerfile', content: Buffer.from(dockerfile, 'utf8') }]),
      {
        tags,
        dockerfile: 'Dockerfile',
        buildArgs,
      },
    );
  }

  async build(
    hostId: string,
    context: Readable | Buffer,
    options: {
      tags: string[];
      dockerfile: string;
      buildArgs: Record<string, string>;
      target?: string;
      noCache?: boolean;
    },
  ): Promise<BuildResult> {
    const host = requireHost(this.hosts, hostId);
    const transferId = randomUUID();
    const log: string[] = [];
    let step: string | null = null;
    let error: string | null = null;
    let imageId: string | null = null;
    try {
      const res = await new ImagesApi(host.client).build(context, options);
      for await (const line of readNdjson<BuildLine>(res)) {
        if (line.aux?.ID) imageId = line.aux.ID;
        if (line.error) error = line.errorDetail?.message ?? line.error;
        for (const text of (line.stream ?? line.error ?? '').split('\n')) {
          if (!text.trim()) continue;
          if (/^Step \d+\/\d+ : /.test(text)) step = text.trim();
          if (log.length < MAX_LOG_LINES) log.push(text);
          host.progress.emit({
            operation: 'build',
            transferId,
            subject: options.tags[0] ?? '',
            status: text,
            layer: null,
            current: null,
            total: null,
          });
        }
      }
    } catch (err) {
      error = errorMessage(err);
    }
    const args = Object.entries(options.buildArgs).flatMap(([k, v]) => [
      '--build-arg',
      `${k}=${v}`,
    ]);
    const cli = shellJoin([
      'docker',
      'build',
      ...options.tags.flatMap((t) => ['--tag', t]),
      ...(options.dockerfile !== 'Dockerfile' ? ['--file', options.dockerfile] : []),
      ...args,
      ...(options.target ? ['--target', options.target] : []),
      ...(options.noCache ? ['--no-cache'] : []),
      '.',
    ]);
    return {
      ok: error === null,
      imageId: error === null ? imageId : null,
      tags: error === null ? options.tags : [],
      log,
      error,
      failedStep: error === null ? null : step,
      cli,
    };
  }
}
