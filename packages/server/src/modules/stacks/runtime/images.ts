import type { ComposeService } from '@berth/contract';
import { errorMessage } from '../../../core/errors.js';
import type { EngineHost } from '../../../docker/engine-hosts.js';
import { ImagesApi } from '../../../docker/images-api.js';
import { readNdjson } from '../../../docker/ndjson.js';
import { packArchive } from '../../../docker/tar-write.js';
import { contextEntries } from './build-context.js';

interface StreamLine {
  status?: string;
  id?: string;
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  progress?: string;
}

export type ImageReport = (step: 'pulling' | 'building', message: string) => void;

/** Pulls an image, reporting each status line; resolves with the engine's error, or null. */
export async function pullImage(
  host: EngineHost,
  image: string,
  report: ImageReport,
): Promise<string | null> {
  let failure: string | null = null;
  try {
    const controller = new AbortController();
    const res = await new ImagesApi(host.client).pull(image, undefined, controller.signal);
    for await (const line of readNdjson<StreamLine>(res)) {
      if (line.error) failure = line.errorDetail?.message ?? line.error;
      const text = [line.id, line.status, line.progress].filter(Boolean).join(' ');
      if (text) report('pulling', text);
    }
  } catch (err) {
    failure = errorMessage(err);
  }
  return failure === null ? null : `pulling ${image} failed: ${failure}`;
}

/** Builds a service's image through the Engine API from its context, tarred. */
export async function buildImage(
  host: EngineHost,
  image: string,
  build: NonNullable<ComposeService['build']>,
  report: ImageReport,
): Promise<string | null> {
  let failure: string | null = null;
  try {
    const buildArgs = Object.fromEntries(
      Object.entries(build.args ?? {}).filter((e): e is [string, string] => e[1] !== null),
    );
    const dockerfile = build.dockerfile ?? 'Dockerfile';
    const context = packArchive(contextEntries(build.context, dockerfile));
    const res = await new ImagesApi(host.client).build(context, {
      tags: [image],
      dockerfile,
      buildArgs,
      ...(build.target ? { target: build.target } : {}),
      ...(build.labels ? { labels: build.labels } : {}),
    });
    for await (const line of readNdjson<StreamLine>(res)) {
      if (line.error) failure = line.errorDetail?.message ?? line.error;
      const text = (line.stream ?? '').trim();
      if (text) report('building', text);
    }
  } catch (err) {
    failure = errorMessage(err);
  }
  return failure === null ? null : `building ${image} failed: ${failure}`;
}
