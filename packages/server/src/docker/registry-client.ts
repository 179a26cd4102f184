import { createHash } from 'node:crypto';
import {
  DOCKER_HUB,
  DOCKER_HUB_ALIASES,
  REGISTRY_HOST,
  InvalidReferenceError,
  parseImageReference,
  type ImageReference,
} from './image-reference.js';

export { InvalidReferenceError, parseImageReference, type ImageReference };

/**
 * A small client for the Registry HTTP API v2 (the CNCF distribution spec), enough to tell
 * whether an image tag still points where it did and whether a login works. It speaks to
 * registries directly rather than through the engine, which has no "resolve digest" endpoint.
 */

export interface RegistryCredentials {
  username: string;
  password: string;
}

export type RegistryErrorReason = 'unauthorized' | 'not_found' | 'unreachable' | 'protocol';

export class RegistryError extends Error {
  constructor(
    readonly reason: RegistryErrorReason,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** The input is not an image reference (or registry host) at all; nothing was sent anywhere. */
export interface AuthChallenge {
  /** Lower-cased, e.g. 'bearer' or 'basic'. */
  scheme: string;
  /** Parameter names lower-cased, values unquoted. */
  params: Record<string, string>;
}

export interface ManifestDigest {
  digest: string;
  mediaType: string;
}

export interface RegistryClientOptions {
  /** Credentials for an API host as parseImageReference names it (Docker Hub: registry-1.docker.io). */
  credentials?: (registry: string) => RegistryCredentials | undefined;
  /** host:port served over plain http; loopback registries always are. */
  insecureRegistries?: string[];
}

/** Docker Hub's API host; docker.io and index.docker.io are names for the same registry. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Docker refuses manifests above 4 MiB; so do we, so a hostile registry cannot fill memory. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_SMALL_BODY_BYTES = 64 * 1024;
/** Lists and indexes first, so a multi-platform tag resolves to the digest `docker pull` records. */
const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

const ANY_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const QUOTED = /"((?:[^"\\]|\\.)*)"/y;
const SPACE = /[ \t]*/y;

/**
 * Parses a WWW-Authenticate header (RFC 7235) into its challenges. A header may carry several,
 * and commas separate both challenges and parameters, so a name counts as a parameter only
 * when '=' follows it.
 */
export function parseAuthChallenge(header: string): AuthChallenge[] {
  let pos = 0;
  const take = (pattern: RegExp): RegExpExecArray | null => {
    pattern.lastIndex = pos;
    const match = pattern.exec(header);
    if (match) pos = pattern.lastIndex;
    return match;
  };
  const skipSeparators = (): void => {
    while (take(SPACE) && header[pos] === ',') pos += 1;
  };
  const challenges: AuthChallenge[] = [];
  for (skipSeparators(); pos < header.length; skipSeparators()) {
    const scheme = take(TOKEN);
    if (!scheme) break;
    const params: [string, string][] = [];
    for (;;) {
      const start = pos;
      skipSeparators();
      const name = take(TOKEN);
      take(SPACE);
      if (!name || header[pos] !== '=') {
        pos = start;
        break;
      }
      pos += 1;
      take(SPACE);
      const quoted = take(QUOTED);
      const value = quoted ? (quoted[1] ?? '').replace(/\\(.)/g, '$1') : take(TOKEN)?.[0];
      params.push([name[0].toLowerCase(), value ?? '']);
    }
    challenges.push({ scheme: scheme[0].toLowerCase(), params: Object.fromEntries(params) });
  }
  return challenges;
}

interface Target {
  registry: string;
  /** Token scope to ask for when the challenge names none. */
  scope: string | null;
  credentials: RegistryCredentials | undefined;
}

export class RegistryClient {
  private readonly credentialsFor: (registry: string) => RegistryCredentials | undefined;
  private readonly insecure: Set<string>;

  constructor(options: RegistryClientOptions = {}) {
    this.credentialsFor = options.credentials ?? (() => undefined);
    this.insecure = new Set((options.insecureRegistries ?? []).map((h) => h.toLowerCase()));
  }

  /** The digest and media type the registry serves for a reference, without pulling layers. */
  async manifestDigest(ref: string): Promise<ManifestDigest> {
    const image = parseImageReference(ref);
    const reference = image.digest ?? image.tag;
    const name = `manifest ${image.registry}/${image.repository}${image.digest ? '@' : ':'}${reference}`;
    const url = `${this.baseUrl(image.registry)}/v2/${image.repository}/manifests/${reference}`;
    const target: Target = {
      registry: image.registry,
      scope: `repository:${image.repository}:pull`,
      credentials: this.credentialsFor(image.registry),
    };
    const found = await this.fetchManifestDigest(target, url, name);
    if (!ANY_DIGEST.test(found.digest)) {
      throw new RegistryError('protocol', `${name} has a malformed digest "${found.digest}"`);
    }
    if (image.digest && image.digest !== found.digest) {
      throw new RegistryError('protocol', `${name} came back as ${found.digest}`);
    }
    return found;
  }

  /** Resolves when the registry accepts the credentials, as `docker login` checks them. */
  async checkLogin(host: string, credentials: RegistryCredentials): Promise<void> {
    if (!REGISTRY_HOST.test(host)) {
      throw new InvalidReferenceError(host, `invalid registry host "${host}" (host or host:port)`);
    }
    const registry = DOCKER_HUB_ALIASES.has(host.toLowerCase()) ? DOCKER_HUB : host;
    const target: Target = { registry, scope: null, credentials };
    const { res } = await this.send(target, `${this.baseUrl(registry)}/v2/`, 'GET', {}, null);
    // A registry that asks for no credentials accepts any, as it does for `docker login`.
    if (!res.ok) throw failure(res, `registry ${registry}`, target, await errorDetail(res));
    await discard(res);
  }

  private async fetchManifestDigest(
    target: Target,
    url: string,
    name: string,
  ): Promise<ManifestDigest> {
    const accept = { Accept: MANIFEST_ACCEPT };
    const head = await this.send(target, url, 'HEAD', accept, null);
    await discard(head.res);
    const headDigest = head.res.headers.get('docker-content-digest');
    const headType = mediaTypeOf(head.res);
    if (head.res.ok && headDigest && headType) return { digest: headDigest, mediaType: headType };
    // Some registries (and proxies in front of them) answer HEAD without a digest or not at all.
    if (!head.res.ok && head.res.status !== 405 && head.res.status !== 501) {
      throw failure(head.res, name, target, '');
    }
    const get = await this.send(target, url, 'GET', accept, head.authorization);
    if (!get.res.ok) throw failure(get.res, name, target, await errorDetail(get.res));
    const body = await readLimited(get.res, MAX_MANIFEST_BYTES, name);
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const mediaType = headType ?? mediaTypeOf(get.res) ?? stringField(parseJson(body), 'mediaType');
    if (!mediaType) throw new RegistryError('protocol', `${name} has no media type`);
    return { digest, mediaType };
  }

  private baseUrl(registry: string): string {
    return `${this.isInsecure(registry) ? 'http' : 'https'}://${registry}`;
  }

  private isInsecure(host: string): boolean {
    const lower = host.toLowerCase();
    const hostname = lower.replace(/^\[([^\]]*)\].*$|:\d+$/, '$1');
    return this.insecure.has(lower) || /^(?:localhost|::1|127(?:\.\d+){3})$/.test(hostname);
  }

  /**
   * One request, answering a 401 challenge once: a second 401 means the credentials (or
   * anonymous access) are not enough, and the caller reports it.
   */
  private async send(
    target: Target,
    url: string,
    method: 'GET' | 'HEAD',
    headers: Record<string, string>,
    authorization: string | null,
  ): Promise<{ res: Response; authorization: string | null }> {
    const withAuth = (auth: string | null): Record<string, string> =>
      auth ? { ...headers, Authorization: auth } : headers;
    const first = await request(url, method, withAuth(authorization), target.registry);
    if (first.status !== 401) return { res: first, authorization };
    await discard(first);
    const challenges = parseAuthChallenge(first.headers.get('www-authenticate') ?? '');
    const auth = await this.authorize(challenges, target);
    const second = await request(url, method, withAuth(auth), target.registry);
    return { res: second, authorization: auth };
  }

  private async authorize(challenges: AuthChallenge[], target: Target): Promise<string> {
    const { registry, credentials } = target;
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) return `Bearer ${await this.fetchToken(bearer, target)}`;
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (credentials) return basicAuth(credentials);
      const why = `registry ${registry} requires a login and no credentials are set for it`;
      throw new RegistryError('unauthorized', why, 401);
    }
    const offered = challenges.map((c) => c.scheme).join(', ') || 'none';
    const why = `registry ${registry} asks for an authentication scheme Berth does not speak`;
    throw new RegistryError('protocol', `${why} (${offered})`, 401);
  }

  /** Docker's token flow: anonymous, or with Basic credentials when there are some. */
  private async fetchToken(challenge: AuthChallenge, target: Target): Promise<string> {
    const what = `token service of registry ${target.registry}`;
    const { realm = '', service, scope = target.scope } = challenge.params;
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError('protocol', `${what} has an invalid realm "${realm}"`);
    }
    // The realm may be any host; credentials go there only over TLS or to a host we trust.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.isInsecure(url.host))) {
      throw new RegistryError('protocol', `${what} is not served over https (${url.origin})`);
    }
    if (service) url.searchParams.set('service', service);
    for (const one of scope?.split(' ').filter(Boolean) ?? []) {
      url.searchParams.append('scope', one);
    }
    const { credentials } = target;
    if (credentials) url.searchParams.set('account', credentials.username);
    const headers: Record<string, string> = credentials
      ? { Authorization: basicAuth(credentials) }
      : {};
    const res = await request(url.href, 'GET', headers, url.host);
    // Our 'not_found' means a missing image; a missing token endpoint is the registry's fault.
    if (res.status === 404) {
      await discard(res);
      throw new RegistryError('protocol', `${what} is not at ${url.origin}${url.pathname}`, 404);
    }
    if (!res.ok) throw failure(res, what, target, await errorDetail(res));
    const body = parseJson(await readLimited(res, MAX_SMALL_BODY_BYTES, `${what} answer`));
    const token = stringField(body, 'token') ?? stringField(body, 'access_token');
    if (!token) throw new RegistryError('protocol', `${what} answered without a token`);
    return token;
  }
}

async function request(
  url: string,
  method: 'GET' | 'HEAD',
  headers: Record<string, string>,
  host: string,
): Promise<Response> {
  try {
    return await fetch(url, { method, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw unreachable(host, err);
  }
}

function unreachable(host: string, err: unknown): RegistryError {
  let why = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && err.name === 'TimeoutError') {
    why = `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  } else if (err instanceof Error && err.cause instanceof Error) {
    // fetch reports every network failure as "fetch failed"; the cause says which.
    why = err.cause.message;
  }
  return new RegistryError('unreachable', `${host} is unreachable: ${why}`);
}

function failure(res: Response, what: string, target: Target, detail: string): RegistryError {
  const suffix = detail ? `: ${detail}` : '';
  const { status } = res;
  if (status === 401 || status === 403) {
    const { credentials } = target;
    const who = credentials ? `the credentials of ${credentials.username}` : 'anonymous access';
    return new RegistryError('unauthorized', `${what} refused ${who} (${status})${suffix}`, status);
  }
  if (status === 404) return new RegistryError('not_found', `${what} not found${suffix}`, status);
  if (status === 429) {
    return new RegistryError('protocol', `${what}: rate limited by the registry${suffix}`, status);
  }
  // A server error means the registry cannot serve us now, like being down.
  const reason = status >= 500 ? 'unreachable' : 'protocol';
  return new RegistryError(reason, `${what}: unexpected answer ${status}${suffix}`, status);
}

function basicAuth({ username, password }: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function mediaTypeOf(res: Response): string | null {
  const type = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  // Registries that do not know a manifest's type send these; the body's own field is better.
  if (!type || type === 'application/json' || type === 'text/plain') return null;
  return type;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    // Callers treat a body that is not JSON like one without the field they look for.
    return null;
  }
}

function stringField(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null || !(key in value)) return null;
  const field: unknown = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field !== '' ? field : null;
}

/** The registry's own words from an error body ({"errors":[{"message"}]}), if it sent any. */
async function errorDetail(res: Response): Promise<string> {
  let body: unknown;
  try {
    body = parseJson(await readLimited(res, MAX_SMALL_BODY_BYTES, 'error body'));
  } catch {
    // The status alone still tells the caller what went wrong; the words are a bonus.
    return '';
  }
  const errors: unknown =
    typeof body === 'object' && body !== null && 'errors' in body ? body.errors : null;
  if (!Array.isArray(errors)) return '';
  return errors
    .map((e: unknown) => stringField(e, 'message') ?? stringField(e, 'code'))
    .filter((m): m is string => m !== null)
    .join('; ');
}

async function discard(res: Response): Promise<void> {
  // Cancelling only frees the connection early; if it fails there is nothing left to free.
  await res.body?.cancel().catch(() => undefined);
}

/** Reads a body, failing past `limit` bytes so a hostile registry cannot fill memory. */
async function readLimited(res: Response, limit: number, what: string): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      size += next.value.length;
      if (size > limit) {
        await reader.cancel();
        throw new RegistryError('protocol', `${what} is larger than ${limit} bytes`, res.status);
      }
      chunks.push(Buffer.from(next.value));
    }
  } catch (err) {
    throw err instanceof RegistryError ? err : unreachable(new URL(res.url).host, err);
  }
  return Buffer.concat(chunks);
}
