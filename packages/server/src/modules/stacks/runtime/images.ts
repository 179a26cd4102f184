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

/** The registry credentials Berth holds (RegistriesService), as the engine's headers want them. */
export interface RegistryCredentials {
  /** X-Registry-Auth for a pull of `reference`; undefined when Berth has no login for its registry. */
  authHeader(reference: string): string | undefined;
  /** X-Registry-Config for a build: every login Berth has, by registry. */
  buildConfigHeader(): string | undefined;
}

/** Pulls an image, reporting each status line; resolves with the engine's error, or null. */
export async function pullImage(
  host: EngineHost,
  image: string,
  registries: RegistryCredentials,
  report: ImageReport,
): Promise<string | null> {
  let failure: string | null = null;
  try {
    const controller = new AbortController();
    const auth = registries.authHeader(image);
    const res = await new ImagesApi(host.client).pull(image, auth, controller.signal);
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
  registries: RegistryCredentials,
  report: ImageReport,
): Promise<string | null> {
  let failure: string | null = null;
  try {
    const buildArgs = Object.fromEntries(
      Object.entries(build.args ?? {}).filter((e): e is [string, string] => e[1] !== null),
    );
    const dockerfile = build.dockerfile ?? 'Dockerfile';
    const context = packArchive(contextEntries(build.context, dockerfile));
    const registryConfig = registries.buildConfigHeader();
    const res = await new ImagesApi(host.client).build(context, {
      ...(registryConfig ? { registryConfig } : {}),
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
