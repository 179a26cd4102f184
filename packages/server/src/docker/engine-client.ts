import * as http from 'node:http';
import * as https from 'node:https';
import { Readable, type Duplex } from 'node:stream';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import { describeEndpoint, type EngineEndpoint, type TlsMaterial } from './engine-endpoint.js';
import { EngineRequestError, EngineUnreachableError } from './engine-errors.js';
import { SshConnection, type SshHostKey } from './ssh-connection.js';
import { ChannelAgent } from './socket-shape.js';
import type {
  RawContainerSummary,
  RawErrorBody,
  RawImageSummary,
  RawInfo,
  RawNetwork,
  RawVersion,
  RawVolume,
  RawVolumeList,
} from './engine-types.js';

/** The newest Engine API version whose shapes Berth's types describe. */
export const MAX_API_VERSION = '1.41';

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface RequestOptions {
  query?: Query;
  /** JSON-serialisable value, or raw bytes / a stream (sent as-is, e.g. a tar archive). */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** Docker's filters query parameter: a JSON map of name -> values. */
export function filtersParam(filters: Record<string, string[]>): string {
  return JSON.stringify(filters);
}

/**
 * A typed client for one engine over the Engine API. It holds no product logic: it sends
 * requests, maps transport failures to EngineUnreachableError and engine error statuses to
 * EngineRequestError, and returns the engine's own shapes.
 */
export class EngineClient {
  readonly endpointLabel: string;
  private readonly agent: http.Agent;
  /** For ssh hosts: the one SSH connection every Engine API connection is a channel on. */
  private readonly ssh: SshConnection | null;
  private apiVersion: string = MAX_API_VERSION;
  private negotiated = false;
  /** Requests sent so far; lets tests prove that nothing polls while the event stream is up. */
  requestCount = 0;
  /** Open while the engine is known unreachable: calls fail at once instead of timing out. */
  private breaker: { reason: string; since: Date } | null = null;

  constructor(private readonly endpoint: EngineEndpoint) {
    this.endpointLabel = describeEndpoint(endpoint);
    this.ssh = endpoint.transport === 'ssh' ? new SshConnection(endpoint) : null;
    // Over SSH and through an agent, every pooled connection is a channel of one session.
    this.agent = this.ssh
      ? new ChannelAgent(this.ssh.createConnection)
      : endpoint.transport === 'agent'
        ? new ChannelAgent(endpoint.tunnel.createConnection)
        : endpoint.transport === 'tcp' && endpoint.tls
          ? new https.Agent({ keepAlive: true, ...tlsOptions(endpoint.host, endpoint.tls) })
          : new http.Agent({ keepAlive: true });
  }

  /** For ssh hosts: the host key the remote showed in the last handshake. */
  get sshHostKey(): SshHostKey | null {
    return this.ssh?.hostKeySeen ?? null;
  }

  /**
   * Makes every call but `ping` fail at once with EngineUnreachableError (reason, since) until
   * closeBreaker(): the engine state opens it when its ping fails and closes it when one passes.
   */
  openBreaker(reason: string, since: Date): void {
    this.breaker = { reason, since };
  }

  closeBreaker(): void {
    this.breaker = null;
  }

  /** The API version requests are sent with: the engine's own, capped at MAX_API_VERSION. */
  get negotiatedApiVersion(): string {
    return this.apiVersion;
  }

  async ping(timeoutMs = 3_000): Promise<{ apiVersion: string; latencyMs: number }> {
    const started = performance.now();
    const res = await this.send('GET', '/_ping', { timeoutMs }, false);
    const header = res.headers['api-version'];
    await drain(res);
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    const engineVersion = typeof header === 'string' ? header : MAX_API_VERSION;
    if (!this.negotiated) {
      this.apiVersion =
        compareApiVersions(engineVersion, MAX_API_VERSION) < 0 ? engineVersion : MAX_API_VERSION;
      this.negotiated = true;
    }
    return { apiVersion: engineVersion, latencyMs };
  }

  version(): Promise<RawVersion> {
    return this.request<RawVersion>('GET', '/version');
  }

  info(): Promise<RawInfo> {
    return this.request<RawInfo>('GET', '/info');
  }

  listContainers(filters?: Record<string, string[]>): Promise<RawContainerSummary[]> {
    return this.request<RawContainerSummary[]>('GET', '/containers/json', {
      query: { all: true, filters: filters ? filtersParam(filters) : undefined },
    });
  }

  listImages(): Promise<RawImageSummary[]> {
    return this.request<RawImageSummary[]>('GET', '/images/json');
  }

  listNetworks(filters?: Record<string, string[]>): Promise<RawNetwork[]> {
    return this.request<RawNetwork[]>('GET', '/networks', {
      query: { filters: filters ? filtersParam(filters) : undefined },
    });
  }

  async listVolumes(): Promise<RawVolume[]> {
    const list = await this.request<RawVolumeList>('GET', '/volumes');
    return list.Volumes ?? [];
  }

  inspectVolume(name: string): Promise<RawVolume> {
    return this.request<RawVolume>('GET', `/volumes/${encodeURIComponent(name)}`);
  }

  /** Sends a request and parses the JSON answer (undefined for an empty one). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, options);
    const text = await readText(res);
    if (text.length === 0) return undefined as T;
    return JSON.parse(text) as T;
  }

  /** Sends a request and hands back the live response, for streams (events, logs, stats). */
  stream(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<http.IncomingMessage> {
    return this.send(method, path, { timeoutMs: 0, ...options });
  }

  /**
   * Sends a request the engine answers by taking over the connection (exec start, attach):
   * resolves with the raw two-way socket once it has switched protocols.
   */
  upgrade(method: string, path: string, body: unknown): Promise<{ socket: Duplex; head: Buffer }> {
    this.requestCount += 1;
    if (this.breaker) return Promise.reject(this.broken(this.breaker));
    const secure = this.endpoint.transport === 'tcp' && this.endpoint.tls !== null;
    const transportOptions = this.upgradeTransport();
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request({
        ...transportOptions,
        method,
        path: `/v${this.apiVersion}${path}`,
        headers: {
          Host: 'docker',
          Connection: 'Upgrade',
          Upgrade: 'tcp',
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
        },
      });
      req.on('upgrade', (_res, socket, head) => resolve({ socket, head }));
      req.on('response', (res) => {
        readText(res).then(
          (text) =>
            reject(
              new EngineRequestError(
                res.statusCode ?? 0,
                method,
                path,
                engineMessage(text, res.statusCode ?? 0),
              ),
            ),
          (err: unknown) => reject(this.unreachable(err)),
        );
      });
      req.on('error', (err) => reject(this.unreachable(err)));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
    this.ssh?.close();
  }

  /** Where an upgrade connects: a connection of its own, never back to a pool once taken over. */
  private upgradeTransport(): http.RequestOptions {
    const endpoint = this.endpoint;
    if (endpoint.transport === 'unix') return { socketPath: endpoint.socketPath, agent: false };
    // Without an agent, Node opens the connection through createConnection: a new channel.
    if (endpoint.transport === 'ssh') {
      if (!this.ssh) throw new Error('an ssh endpoint without its SSH connection');
      return { createConnection: this.ssh.createConnection };
    }
    if (endpoint.transport === 'agent')
      return { createConnection: endpoint.tunnel.createConnection };
    return {
      host: endpoint.host,
      port: endpoint.port,
      agent: false,
      ...(endpoint.tls ? tlsOptions(endpoint.host, endpoint.tls) : {}),
    };
  }

  private send(
    method: string,
    path: string,
    options: RequestOptions,
    versioned = true,
  ): Promise<http.IncomingMessage> {
    this.requestCount += 1;
    // The ping (unversioned) is how the breaker learns the engine is back: it always goes.
    if (this.breaker && versioned) return Promise.reject(this.broken(this.breaker));
    const fullPath = (versioned ? `/v${this.apiVersion}` : '') + path + queryString(options.query);
    const { body, headers } = encodeBody(options);
    const transportOptions: http.RequestOptions =
      this.endpoint.transport === 'unix'
        ? { socketPath: this.endpoint.socketPath }
        : this.endpoint.transport === 'ssh' || this.endpoint.transport === 'agent'
          ? {}
          : { host: this.endpoint.host, port: this.endpoint.port };
    const requestOptions: http.RequestOptions = {
      ...transportOptions,
      method,
      path: fullPath,
      headers: { Host: 'docker', ...headers, ...options.headers },
      agent: this.agent,
      signal: options.signal,
    };
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const secure = this.endpoint.transport === 'tcp' && this.endpoint.tls !== null;

    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(requestOptions, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          readText(res).then(
            (text) =>
              reject(new EngineRequestError(status, method, path, engineMessage(text, status))),
            (err: unknown) => reject(this.unreachable(err)),
          );
          return;
        }
        // The timeout guards the wait for an answer; a stream lives as long as its reader wants.
        req.setTimeout(0);
        resolve(res);
      });
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      }
      req.on('error', (err) => reject(this.unreachable(err)));
      if (body instanceof Readable) body.pipe(req);
      else req.end(body);
    });
  }

  private broken(breaker: { reason: string; since: Date }): EngineUnreachableError {
    return new EngineUnreachableError(this.endpointLabel, breaker.reason, breaker.since);
  }

  private unreachable(err: unknown): Error {
    if (err instanceof Error && err.name === 'AbortError') return err;
    const code = (err as NodeJS.ErrnoException).code;
    const reason = err instanceof Error ? err.message : String(err);
    return new EngineUnreachableError(
      this.endpointLabel,
      code ? `${code}: ${reason}` : reason,
      null,
      code ?? null,
    );
  }
}

/**
 * TLS to an engine: its certificate must be signed by the host's CA and name the URL's host.
 * The name is checked against the URL's host explicitly: Node would otherwise take it from the
 * Host header, which the Engine API gets as "docker".
 */
function tlsOptions(host: string, material: TlsMaterial): https.AgentOptions {
  return {
    ...material,
    minVersion: 'TLSv1.2',
    // SNI takes names only, never an address.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    checkServerIdentity: (_name, cert) => checkServerIdentity(host, cert),
  };
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function encodeBody(options: RequestOptions): {
  body: string | Buffer | Readable | undefined;
  headers: Record<string, string>;
} {
  const { body } = options;
  if (body === undefined) return { body: undefined, headers: {} };
  if (body instanceof Readable || Buffer.isBuffer(body)) {
    return { body, headers: { 'Content-Type': options.contentType ?? 'application/x-tar' } };
  }
  return { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } };
}

async function readText(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function drain(res: http.IncomingMessage): Promise<void> {
  for await (const chunk of res) void chunk;
}

function engineMessage(text: string, status: number): string {
  try {
    const parsed = JSON.parse(text) as RawErrorBody;
    if (parsed.message) return parsed.message;
  } catch {
    // Not JSON: fall through to the raw text, which is what the engine said.
  }
  return text.trim() || `engine answered ${status}`;
}
