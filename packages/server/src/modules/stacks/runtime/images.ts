import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ComposeService } from '@berth/contract';
import { errorMessage } from '../../../core/errors.js';
import type { EngineHost } from '../../../docker/engine-hosts.js';
import { ImagesApi } from '../../../docker/images-api.js';
import { readNdjson } from '../../../docker/ndjson.js';
import { packArchive, type ArchiveEntry } from '../../../docker/tar-write.js';

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

/** Every file under a build context, relative, for the engine's tar (symlinks as links). */
async function* contextEntries(root: string, dir = root): AsyncGenerator<ArchiveEntry> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const name = relative(root, path);
    if (entry.isDirectory()) {
      yield { name: `${name}/`, type: 'directory' };
      yield* contextEntries(root, path);
    } else if (entry.isFile()) {
      const info = await stat(path);
      yield { name, content: await readFile(path), mode: info.mode & 0o7777 };
    }
  }
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
    const res = await new ImagesApi(host.client).build(packArchive(contextEntries(build.context)), {
      tags: [image],
      dockerfile: build.dockerfile ?? 'Dockerfile',
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
