import type { ErrorBody } from '@berth/contract';

/** An error answered by the API, in its one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The per-field messages of a validation error, keyed by field ("body.name" → "name"). */
  fieldErrors(): Record<string, string> {
    const issues =
      (this.details as { issues?: { field: string; message: string }[] } | undefined)?.issues ?? [];
    return Object.fromEntries(
      issues.map((i) => [i.field.replace(/^(body|query|params)\./, ''), i.message]),
    );
  }
}

/** Raised when the server cannot be reached at all (the banner says so and retries). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Berth cannot be reached');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls the API with the session cookie. Same origin: the browser sends the Origin header the
 * server's CSRF check wants on every change.
 */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  return send<T>(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * POSTs a file as the raw request body (an image archive, a build context): the browser streams
 * it from disk instead of reading it into memory. Answers and errors as `api` does.
 */
export function upload<T>(path: string, body: Blob, contentType: string): Promise<T> {
  return send<T>(path, { method: 'POST', headers: { 'content-type': contentType }, body });
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, credentials: 'same-origin' });
  } catch (err) {
    throw new NetworkError(err);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = (parsed as ErrorBody | undefined)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? 'http_error',
      error?.message ?? `HTTP ${res.status}`,
      error?.details,
    );
  }
  return parsed as T;
}

export const get = <T>(path: string): Promise<T> => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}): Promise<T> => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown): Promise<T> => api<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown): Promise<T> => api<T>('PUT', path, body);
export const del = <T>(path: string): Promise<T> => api<T>('DELETE', path);

/** ws:// or wss:// for a path of this server. */
export function wsUrl(path: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${path}`;
}
