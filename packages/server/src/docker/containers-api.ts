import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { EngineClient } from './engine-client.js';
import { EngineRequestError } from './engine-errors.js';
import type { RawContainerInspect, RawImageInspect } from './engine-types.js';

/** The body of POST /containers/create (the fields Berth sets). */
export interface RawContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  Labels?: Record<string, string>;
  User?: string;
  WorkingDir?: string;
  Hostname?: string;
  Domainname?: string;
  StopSignal?: string;
  ExposedPorts?: Record<string, object>;
  Healthcheck?: RawContainerInspect['Config']['Healthcheck'];
  StopTimeout?: number;
  Tty?: boolean;
  OpenStdin?: boolean;
  HostConfig: RawContainerInspect['HostConfig'];
  NetworkingConfig?: {
    EndpointsConfig: Record<
      string,
      { IPAMConfig?: { IPv4Address?: string; IPv6Address?: string }; Aliases?: string[] }
    >;
  };
}

export interface RawUpdateBody {
  Memory?: number;
  MemorySwap?: number;
  NanoCpus?: number;
  PidsLimit?: number;
  RestartPolicy?: RawContainerInspect['HostConfig']['RestartPolicy'];
}

export interface RawTop {
  Titles: string[];
  Processes: string[][];
}

/** X-Docker-Container-Path-Stat: `mode` is a Go FileMode (type bits above the permissions). */
export interface RawPathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  /** For a link, where the engine resolves it within the container: not the link's own text. */
  linkTarget: string;
}

export interface RawChange {
  Path: string;
  Kind: 0 | 1 | 2;
}

const enc = encodeURIComponent;

/** Container calls of the Engine API. No product logic: requests in, engine shapes out. */
export class ContainersApi {
  constructor(private readonly client: EngineClient) {}

  inspect(id: string): Promise<RawContainerInspect> {
    return this.client.request<RawContainerInspect>('GET', `/containers/${enc(id)}/json`);
  }

  /** Inspect, or undefined when the engine has no such container. */
  async find(id: string): Promise<RawContainerInspect | undefined> {
    try {
      return await this.inspect(id);
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  async create(name: string | undefined, body: RawContainerCreateBody): Promise<string> {
    const res = await this.client.request<{ Id: string }>('POST', '/containers/create', {
      query: { name },
      body,
    });
    return res.Id;
  }

  async connectNetwork(
    id: string,
    network: string,
    ipv4Address?: string,
    aliases?: string[],
    ipv6Address?: string,
  ): Promise<void> {
    await this.client.request('POST', `/networks/${enc(network)}/connect`, {
      body: {
        Container: id,
        EndpointConfig: {
          ...(ipv4Address || ipv6Address
            ? {
                IPAMConfig: {
                  ...(ipv4Address ? { IPv4Address: ipv4Address } : {}),
                  ...(ipv6Address ? { IPv6Address: ipv6Address } : {}),
                },
              }
            : {}),
          ...(aliases ? { Aliases: aliases } : {}),
        },
      },
    });
  }

  async start(id: string): Promise<void> {
    await this.client.request('POST', `/containers/${enc(id)}/start`);
  }

  async stop(id: string, timeoutS?: number): Promise<void> {
    await this.client.request('POST', `/containers/${enc(id)}/stop`, {
      query: { t: timeoutS },
      timeoutMs: ((timeoutS ?? 10) + 30) * 1000,
    });
  }

  async restart(id: string, timeoutS?: number): Promise<void> {
    await this.client.request('POST', `/containers/${enc(id)}/restart`, {
      query: { t: timeoutS },
      timeoutMs: ((timeoutS ?? 10) + 30) * 1000,
    });
  }

  async kill(id: string, signal?: string): Promise<void> {
    await this.client.request('POST', `/containers/${enc(id)}/kill`, { query: { signal } });
  }

  async pause(id: string): Promise<void> {
    await this.client.request('POST', `/containers/${enc(id)}/pause`);
  }

  async unpause(id: string): Promise<void> {
    await this.client.request('POST', `/containers/${enc(id)}/unpause`);
  }

  async rename(id: string, name: string): Promise<void> {
    await this.client.request('POST', `/containers/${enc(id)}/rename`, { query: { name } });
  }

  async remove(id: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    await this.client.request('DELETE', `/containers/${enc(id)}`, {
      query: { force: options.force, v: options.volumes },
    });
  }

  async update(id: string, body: RawUpdateBody): Promise<string[]> {
    const res = await this.client.request<{ Warnings: string[] | null }>(
      'POST',
      `/containers/${enc(id)}/update`,
      {
        body,
      },
    );
    return res.Warnings ?? [];
  }

  top(id: string, psArgs?: string): Promise<RawTop> {
    return this.client.request<RawTop>('GET', `/containers/${enc(id)}/top`, {
      query: { ps_args: psArgs },
    });
  }

  async changes(id: string): Promise<RawChange[]> {
    return (
      (await this.client.request<RawChange[] | null>('GET', `/containers/${enc(id)}/changes`)) ?? []
    );
  }

  logs(
    id: string,
    options: {
      follow: boolean;
      tail?: string;
      since?: number;
      until?: number;
      timestamps: boolean;
      stdout: boolean;
      stderr: boolean;
    },
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    return this.client.stream('GET', `/containers/${enc(id)}/logs`, { query: options, signal });
  }

  stats(id: string, stream: boolean, signal?: AbortSignal): Promise<IncomingMessage> {
    return this.client.stream('GET', `/containers/${enc(id)}/stats`, {
      // Without one-shot the engine waits for a second sample, so even one reading has CPU figures.
      query: { stream },
      signal,
    });
  }

  getArchive(id: string, path: string, signal?: AbortSignal): Promise<IncomingMessage> {
    // The timeout covers the wait for the answer's head only (the engine may be waiting on the
    // container's lock); the body then streams for as long as its reader wants.
    return this.client.stream('GET', `/containers/${enc(id)}/archive`, {
      query: { path },
      signal,
      timeoutMs: 30_000,
    });
  }

  async putArchive(id: string, path: string, tar: Buffer | Readable): Promise<void> {
    await this.client.request('PUT', `/containers/${enc(id)}/archive`, {
      query: { path },
      body: tar,
    });
  }

  async execCreate(
    id: string,
    body: {
      Cmd: string[];
      User?: string;
      WorkingDir?: string;
      Env?: string[];
      Tty: boolean;
      AttachStdin: boolean;
      AttachStdout: true;
      AttachStderr: true;
    },
  ): Promise<string> {
    return (
      await this.client.request<{ Id: string }>('POST', `/containers/${enc(id)}/exec`, { body })
    ).Id;
  }

  /** Starts an exec attached: the socket carries its input and output. */
  execStart(execId: string, tty: boolean): Promise<{ socket: Duplex; head: Buffer }> {
    return this.client.upgrade('POST', `/exec/${enc(execId)}/start`, { Detach: false, Tty: tty });
  }

  /** Whether a path exists in the container (a stat through the archive API; no shell needed). */
  async pathExists(id: string, path: string): Promise<boolean> {
    try {
      await this.client.request('HEAD', `/containers/${enc(id)}/archive`, { query: { path } });
      return true;
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 404) return false;
      throw err;
    }
  }

  /** The stat of a path, without following a link in its last component; undefined if absent. */
  async statPath(id: string, path: string): Promise<RawPathStat | undefined> {
    let res: IncomingMessage;
    try {
      res = await this.client.stream('HEAD', `/containers/${enc(id)}/archive`, {
        query: { path },
        timeoutMs: 30_000,
      });
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 404) return undefined;
      // A HEAD answer has no body, so no message (e.g. "too many links"): a GET has one.
      if (err instanceof EngineRequestError && err.statusCode >= 500) {
        (await this.getArchive(id, path)).destroy();
      }
      throw err;
    }
    res.resume();
    const header = res.headers['x-docker-container-path-stat'];
    if (typeof header !== 'string') throw new Error(`the engine sent no stat for ${path}`);
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as RawPathStat;
  }

  execInspect(execId: string): Promise<{ ExitCode: number | null; Running: boolean; Pid: number }> {
    return this.client.request('GET', `/exec/${enc(execId)}/json`);
  }

  async execResize(execId: string, cols: number, rows: number): Promise<void> {
    await this.client.request('POST', `/exec/${enc(execId)}/resize`, {
      query: { w: cols, h: rows },
    });
  }

  /**
   * Attaches to the container's own streams (its main process): the socket carries its input
   * and output, multiplexed when it has no TTY. `detachKeys` is what the engine itself reads.
   */
  attach(
    id: string,
    options: { stdin: boolean; detachKeys: string },
  ): Promise<{ socket: Duplex; head: Buffer }> {
    const query = new URLSearchParams({
      stream: '1',
      stdin: options.stdin ? '1' : '0',
      stdout: '1',
      stderr: '1',
      detachKeys: options.detachKeys,
    });
    return this.client.upgrade('POST', `/containers/${enc(id)}/attach?${query.toString()}`, {});
  }

  /**
   * Waits for the container's next exit. Resolves once the engine has taken the wait (it sends
   * the answer's head at once), so an exit after that is never missed; `exitCode` then resolves
   * with the code when it exits.
   */
  async waitNextExit(id: string, signal: AbortSignal): Promise<{ exitCode: Promise<number> }> {
    const res = await this.client.stream('POST', `/containers/${enc(id)}/wait`, {
      query: { condition: 'next-exit' },
      signal,
    });
    const exitCode = (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { StatusCode: number };
      return answer.StatusCode;
    })();
    return { exitCode };
  }

  async resize(id: string, cols: number, rows: number): Promise<void> {
    await this.client.request('POST', `/containers/${enc(id)}/resize`, {
      query: { w: cols, h: rows },
    });
  }

  async inspectImage(reference: string): Promise<RawImageInspect | undefined> {
    try {
      return await this.client.request<RawImageInspect>('GET', `/images/${enc(reference)}/json`);
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Pulls an image; resolves with the progress stream (newline-delimited JSON). */
  pullImage(reference: string, signal?: AbortSignal): Promise<IncomingMessage> {
    const at = reference.lastIndexOf(':');
    const slash = reference.lastIndexOf('/');
    const [fromImage, tag] =
      at > slash ? [reference.slice(0, at), reference.slice(at + 1)] : [reference, 'latest'];
    return this.client.stream('POST', '/images/create', {
      query: { fromImage, tag },
      signal,
      timeoutMs: 60_000,
    });
  }
}
