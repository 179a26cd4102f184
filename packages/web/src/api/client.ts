import {
  api as routes,
  ApiError,
  ContractMismatch,
  createApiClient,
  type ErrorBody,
  NetworkError,
} from '@berth/contract';

export { ApiError, ContractMismatch, NetworkError };

/**
 * Answers and stream messages are checked against the contract in development, and in the
 * browser tests (which set `berth.checkContract`): a mismatch is a bug, and fails loudly.
 */
export const checkContract =
  import.meta.env.DEV ||
  (typeof localStorage !== 'undefined' && localStorage.getItem('berth.checkContract') === '1');

/**
 * The typed client of the route contract: `client.containers.start({params: {host, id}})`.
 * Same origin, with the session cookie; the browser sends the Origin header the server's CSRF
 * check wants on every change. The web UI calls the API through it only.
 */
export const client = createApiClient(routes, {
  validate: checkContract,
  // eslint-disable-next-line no-console -- where developers and the browser tests see it
  onMismatch: (error) => console.error(error.message),
});

/** ws:// or wss:// for a path of this server (a stream's `url(…)`). */
export function socketUrl(path: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${path}`;
}

// --- Untyped calls, being replaced by `client` feature by feature; deleted when none is left.

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
