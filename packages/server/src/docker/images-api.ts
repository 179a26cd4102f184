import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { EngineClient } from './engine-client.js';
import { EngineRequestError } from './engine-errors.js';
import type { RawImageInspect } from './engine-types.js';

export interface RawHistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Size: number;
  Tags: string[] | null;
}

export interface RawImageDeleteItem {
  Untagged?: string;
  Deleted?: string;
}

const enc = encodeURIComponent;

/** Splits "repo:tag" (a registry port is not a tag). */
export function splitReference(reference: string): { repository: string; tag: string } {
  const at = reference.lastIndexOf(':');
  const slash = reference.lastIndexOf('/');
  return at > slash
    ? { repository: reference.slice(0, at), tag: reference.slice(at + 1) }
    : { repository: reference, tag: 'latest' };
}

/** Image calls of the Engine API. No product logic. */
export class ImagesApi {
  constructor(private readonly client: EngineClient) {}

  async inspect(reference: string): Promise<RawImageInspect | undefined> {
    try {
      return await this.client.request<RawImageInspect & { Created: string; Size: number }>(
        'GET',
        `/images/${enc(reference)}/json`,
      );
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  history(reference: string): Promise<RawHistoryEntry[]> {
    return this.client.request<RawHistoryEntry[]>('GET', `/images/${enc(reference)}/history`);
  }

  async tag(reference: string, repository: string, tag: string): Promise<void> {
    await this.client.request('POST', `/images/${enc(reference)}/tag`, {
      query: { repo: repository, tag },
    });
  }

  async remove(reference: string, force: boolean): Promise<RawImageDeleteItem[]> {
    return (
      (await this.client.request<RawImageDeleteItem[] | null>(
        'DELETE',
        `/images/${enc(reference)}`,
        { query: { force } },
      )) ?? []
    );
  }

  pull(reference: string, auth: string | undefined, signal: AbortSignal): Promise<IncomingMessage> {
    const { repository, tag } = splitReference(reference);
    return this.client.stream('POST', '/images/create', {
      query: { fromImage: repository, tag },
      signal,
      timeoutMs: 60_000,
      ...(auth ? { headers: { 'X-Registry-Auth': auth } } : {}),
    });
  }

  push(reference: string, auth: string | undefined, signal: AbortSignal): Promise<IncomingMessage> {
    const { repository, tag } = splitReference(reference);
    return this.client.stream('POST', `/images/${enc(repository)}/push`, {
      query: { tag },
      signal,
      timeoutMs: 60_000,
      // The engine insists on the header for a push, even for a registry without auth.
      headers: { 'X-Registry-Auth': auth ?? 'e30=' /* base64 of {} */ },
    });
  }

  /** The classic builder: a tar build context in, a stream of build output out. */
  build(
    context: Readable | Buffer,
    options: {
      tags: string[];
      dockerfile: string;
      buildArgs: Record<string, string>;
      target?: string;
      noCache?: boolean;
      labels?: Record<string, string>;
      /** X-Registry-Config: credentials by registry, for the base images the build pulls. */
      registryConfig?: string;
    },
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    return this.client.stream('POST', '/build', {
      query: {
        t: options.tags,
        dockerfile: options.dockerfile,
        buildargs: JSON.stringify(options.buildArgs),
        ...(options.target ? { target: options.target } : {}),
        ...(options.noCache ? { nocache: true } : {}),
        ...(options.labels ? { labels: JSON.stringify(options.labels) } : {}),
        rm: true,
        forcerm: true,
      },
      body: context,
      contentType: 'application/x-tar',
      timeoutMs: 600_000,
      ...(options.registryConfig
        ? { headers: { 'X-Registry-Config': options.registryConfig } }
        : {}),
      ...(signal ? { signal } : {}),
    });
  }

  save(reference: string): Promise<IncomingMessage> {
    return this.client.stream('GET', `/images/${enc(reference)}/get`);
  }

  load(tar: Readable | Buffer): Promise<IncomingMessage> {
    return this.client.stream('POST', '/images/load', {
      query: { quiet: false },
      body: tar,
      timeoutMs: 600_000,
    });
  }
}
