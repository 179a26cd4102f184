import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { errorMessage } from '../../core/errors.js';

/** Caddy's admin API could not be reached at all (refused, no socket, timed out). */
export class CaddyUnreachableError extends Error {
  constructor(
    readonly admin: string,
    readonly reason: string,
  ) {
    super(`Caddy's admin API at ${admin} is unreachable: ${reason}`);
    this.name = 'CaddyUnreachableError';
  }
}

/** Caddy answered with an error status; `caddyMessage` is its own text. */
export class CaddyRequestError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly caddyMessage: string,
  ) {
    super(`Caddy refused ${method} ${path} (${status}): ${caddyMessage}`);
    this.name = 'CaddyRequestError';
  }
}

export interface CaddyAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One upstream as /reverse_proxy/upstreams lists it. */
export interface CaddyUpstreamStatus {
  address: string;
  num_requests: number;
  fails: number;
}

const TIMEOUT_MS = 5000;

/**
 * Caddy's admin API (BERTH_CADDY_ADMIN: http(s)://host:port or unix:///path), one request
 * per call, JSON in and out. No product logic: what to write is the applier's.
 */
export class CaddyAdmin {
  private readonly target: RequestOptions;
  private readonly secure: boolean;

  constructor(readonly address: string) {
    if (address.startsWith('unix://')) {
      // Over a socket Caddy accepts only an empty Host header (no host name in the URI).
      this.target = {
        socketPath: address.slice('unix://'.length),
        setHost: false,
        headers: { Host: '' },
      };
      this.secure = false;
    } else {
      const url = new URL(address);
      this.secure = url.protocol === 'https:';
      this.target = {
        host: url.hostname,
        port: Number(url.port || (this.secure ? 443 : 80)),
      };
    }
  }

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  post(path: string, body: unknown): Promise<void> {
    return this.json<unknown>('POST', path, body).then(() => undefined);
  }

  put(path: string, body: unknown): Promise<void> {
    return this.json<unknown>('PUT', path, body).then(() => undefined);
  }

  patch(path: string, body: unknown): Promise<void> {
    return this.json<unknown>('PATCH', path, body).then(() => undefined);
  }

  delete(path: string): Promise<void> {
    return this.json<unknown>('DELETE', path).then(() => undefined);
  }

  /** The config at a path, or undefined where Caddy has nothing (404, or `null`). */
  async find<T>(path: string): Promise<T | undefined> {
    try {
      const value = await this.get<T | null>(path);
      return value ?? undefined;
    } catch (err) {
      if (err instanceof CaddyRequestError && (err.status === 404 || err.status === 400)) {
        return undefined;
      }
      throw err;
    }
  }

  upstreams(): Promise<CaddyUpstreamStatus[]> {
    return this.get<CaddyUpstreamStatus[]>('/reverse_proxy/upstreams');
  }

  /** The local CA's root certificate and its details (/pki/ca/local). */
  localCa(): Promise<{ id: string; name: string; root_certificate: string }> {
    return this.get('/pki/ca/local');
  }

  /** The raw answer, headers too (Caddy's `Server` header is the only version hint it gives). */
  async raw(method: string, path: string, body?: unknown): Promise<CaddyAnswer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const send = this.secure ? httpsRequest : httpRequest;
    return new Promise<CaddyAnswer>((resolve, reject) => {
      const headers: Record<string, string> = {
        ...(this.target.headers as Record<string, string> | undefined),
      };
      if (payload !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(payload));
      }
      const req = send({ ...this.target, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (err) => reject(new CaddyUnreachableError(this.address, err.message)));
      });
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
      req.on('error', (err) => reject(new CaddyUnreachableError(this.address, errorMessage(err))));
      req.end(payload);
    });
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.raw(method, path, body);
    if (answer.status >= 400) {
      throw new CaddyRequestError(method, path, answer.status, caddyError(answer.body));
    }
    if (answer.body.trim() === '') return undefined as T;
    return JSON.parse(answer.body) as T;
  }
}

/** Caddy's errors are `{"error": "…"}`; anything else is passed through as it came. */
function caddyError(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // Not JSON: the text itself is the message.
    return body.trim() || 'no message';
  }
  return body.trim();
}
