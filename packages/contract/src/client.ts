import type { z } from 'zod';
import type { ErrorBody } from './errors.js';
import {
  isStreamRoute,
  type AnyRoute,
  type ClientInput,
  type HttpRoute,
  type RawBody,
  type RouteResponse,
  type RouteTable,
  type StreamRoute,
} from './route.js';

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

/** Raised when the server cannot be reached at all. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Berth cannot be reached');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** An answer or a stream message that does not match its declared schema (a contract bug). */
export class ContractMismatch extends Error {
  constructor(
    readonly route: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(
      `${route}: the answer does not match the contract: ${issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
    this.name = 'ContractMismatch';
  }
}

export interface ClientOptions {
  /** Prefix of every path: '' in the browser (same origin), `https://berth.example` elsewhere. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Headers of every request (an API token: `{authorization: 'Bearer …'}`). */
  headers?: () => Record<string, string>;
  /** Parse every answer and stream message with its schema (development and tests). */
  validate?: boolean;
  /** Told of every mismatch before it is thrown (the web logs it where tests look). */
  onMismatch?: (error: ContractMismatch) => void;
}

type Params = Record<string, string | number>;
type Query = Record<string, unknown>;

/** The path of a route with its params filled in (each one URL-encoded) and its query string. */
export function routePath(
  route: AnyRoute,
  input: { params?: unknown; query?: unknown } = {},
): string {
  const params = (input.params ?? {}) as Params;
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${route.path}: the param "${name}" is missing`);
    return encodeURIComponent(String(value));
  });
  // A trailing wildcard (`/files/*`) takes a path: each of its parts encoded, the slashes kept.
  const filled = path.endsWith('/*')
    ? `${path.slice(0, -1)}${String(params['*'] ?? '')
        .split('/')
        .map(encodeURIComponent)
        .join('/')}`
    : path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((input.query ?? {}) as Query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) search.append(key, String(item));
    }
  }
  const query = search.toString();
  return query ? `${filled}?${query}` : filled;
}

/** A route's input as arguments: optional when it requires nothing (`client.me.get()`). */
export type InputArgs<R extends AnyRoute> =
  Record<never, never> extends ClientInput<R> ? [input?: ClientInput<R>] : [input: ClientInput<R>];

/** One route as a function of the client; `url` gives its address (downloads, links). */
export type RouteFunction<R extends HttpRoute> = ((
  ...args: InputArgs<R>
) => Promise<R extends { download: string } ? Blob : RouteResponse<R>>) & {
  url(...args: InputArgs<R>): string;
};

/** One stream of the client: its socket address, and its messages parsed and encoded. */
export interface StreamEndpoint<R extends StreamRoute> {
  /** The path (and query) to open a WebSocket on; see `socketUrl`. */
  url(...input: InputArgs<R>): string;
  /** A server text frame, parsed (and checked against the contract when validating). */
  parse(data: string): z.output<R['server']>;
  /** A client message as the text frame to send. */
  encode(message: z.input<R['client']>): string;
}

export type ApiClient<T extends RouteTable> = {
  [K in keyof T]: T[K] extends StreamRoute
    ? StreamEndpoint<T[K]>
    : T[K] extends HttpRoute
      ? RouteFunction<T[K]>
      : T[K] extends RouteTable
        ? ApiClient<T[K]>
        : never;
};

/** Makes the typed client of a route table: a function per route, an endpoint per stream. */
export function createApiClient<T extends RouteTable>(
  table: T,
  options: ClientOptions = {},
): ApiClient<T> {
  return build(table, options, '') as ApiClient<T>;
}

function build(table: RouteTable, options: ClientOptions, prefix: string): unknown {
  return Object.fromEntries(
    Object.entries(table).map(([key, value]) => {
      const name = prefix ? `${prefix}.${key}` : key;
      if (typeof value.path !== 'string') return [key, build(value as RouteTable, options, name)];
      const route = value as AnyRoute;
      return [
        key,
        isStreamRoute(route)
          ? streamEndpoint(route, name, options)
          : routeFunction(route, name, options),
      ];
    }),
  );
}

function checked(schema: z.ZodType, value: unknown, name: string, options: ClientOptions): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const error = new ContractMismatch(name, result.error.issues);
  options.onMismatch?.(error);
  throw error;
}

function streamEndpoint(route: StreamRoute, name: string, options: ClientOptions): unknown {
  return {
    url: (input: { params?: unknown; query?: unknown }) => routePath(route, input),
    parse: (data: string) => {
      const message: unknown = JSON.parse(data);
      return options.validate ? checked(route.server, message, name, options) : message;
    },
    encode: (message: unknown) =>
      JSON.stringify(options.validate ? checked(route.client, message, name, options) : message),
  };
}

interface CallInput {
  params?: unknown;
  query?: unknown;
  body?: unknown;
  contentType?: string;
}

function routeFunction(route: HttpRoute, name: string, options: ClientOptions): unknown {
  const call = async (input: CallInput = {}): Promise<unknown> => {
    const headers: Record<string, string> = { ...options.headers?.() };
    let body: RequestInit['body'];
    if (route.bodyType !== undefined) {
      headers['content-type'] = input.contentType ?? route.bodyType;
      body = input.body as RawBody as RequestInit['body'];
    } else if (input.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input.body);
    } else if (route.method !== 'GET' && route.method !== 'DELETE' && route.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = '{}';
    }
    const init: RequestInit & { duplex?: 'half' } = {
      method: route.method,
      headers,
      body,
      credentials: 'same-origin',
    };
    // A stream as the body needs half duplex (fetch refuses it otherwise).
    if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
      init.duplex = 'half';
    let res: Response;
    try {
      res = await (options.fetch ?? fetch)(
        `${options.baseUrl ?? ''}${routePath(route, input)}`,
        init,
      );
    } catch (err) {
      throw new NetworkError(err);
    }
    if (res.ok && route.download !== undefined) return res.blob();
    if (res.status === 204) return undefined;
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
    const schema = route.responses[res.status];
    if (!options.validate) return parsed;
    if (schema === undefined) {
      const error = new ContractMismatch(name, [
        {
          code: 'custom',
          path: [],
          message: `status ${res.status} is not declared`,
          input: parsed,
        },
      ]);
      options.onMismatch?.(error);
      throw error;
    }
    return checked(schema, parsed, name, options);
  };
  return Object.assign(call, { url: (input: CallInput = {}) => routePath(route, input) });
}
