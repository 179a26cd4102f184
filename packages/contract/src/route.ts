import type { z } from 'zod';

/**
 * The route contract: every HTTP route and WebSocket stream of the API declared once, as data.
 * The server registers its routes from these declarations, OpenAPI is generated from them, and
 * the typed client (`createApiClient`) is a function per route made from them.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route needs of its caller; the server's auth hook enforces it. */
export type Permission =
  /** Anyone, signed in or not. */
  | 'public'
  /** Any signed-in user (their own profile, sessions, tokens). */
  | 'authenticated'
  /** Read a host's resources: viewer and up, on granted hosts. */
  | 'host:read'
  /** Change a host's resources: operator and up, on granted hosts. */
  | 'host:write'
  /** Instance administration. */
  | 'admin'
  /** The Prometheus scrape: a token with the `metrics` scope, or an admin. */
  | 'metrics';

interface RouteBase {
  /** Express-style path: `/api/hosts/:host/containers/:id`. */
  readonly path: `/${string}`;
  readonly summary: string;
  /** Longer text; "Equivalent: `docker …`" where there is one. */
  readonly description?: string;
  readonly tags: readonly string[];
  readonly permission: Permission;
  /** Audit action, e.g. "container.start"; a change without one is logged as "METHOD /path". */
  readonly audit?: string;
  /** Answers before the first admin exists (health and setup only). */
  readonly beforeSetup?: true;
  /** Allowed while the caller must still change their password or enrol 2FA. */
  readonly allowRestricted?: true;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
}

export interface HttpRoute extends RouteBase {
  readonly kind?: 'http';
  readonly method: HttpMethod;
  /** JSON request body. */
  readonly body?: z.ZodType;
  /** The route takes a raw body of this content type (a file, an archive), not JSON. */
  readonly bodyType?: string;
  /** A POST that changes nothing (a computation): not written to the audit log. */
  readonly noAudit?: true;
  /** Answers by status; errors use ErrorBody. */
  readonly responses: Readonly<Record<number, z.ZodType>>;
  /** The success answer is a file of this media type (a download), not JSON. */
  readonly download?: string;
}

/**
 * A WebSocket stream (`GET` with an upgrade). Messages are JSON text frames parsed with
 * `client` (what the client may send) and `server` (what it receives); `binary` streams
 * (terminals) also carry raw bytes both ways.
 */
export interface StreamRoute extends RouteBase {
  readonly kind: 'stream';
  readonly client: z.ZodType;
  readonly server: z.ZodType;
  readonly binary?: true;
}

export type AnyRoute = HttpRoute | StreamRoute;

/** A group of routes (one feature), or a table of groups. */
export interface RouteTable {
  readonly [name: string]: AnyRoute | RouteTable;
}

/** Declares one HTTP route; `const` keeps its literal types for the server and the client. */
export function httpRoute<const R extends HttpRoute>(route: R): R {
  return route;
}

/** Declares one WebSocket stream. */
export function streamRoute<const R extends Omit<StreamRoute, 'kind'>>(
  route: R,
): R & { kind: 'stream' } {
  return { ...route, kind: 'stream' };
}

export function isStreamRoute(route: AnyRoute): route is StreamRoute {
  return route.kind === 'stream';
}

function isRoute(value: AnyRoute | RouteTable): value is AnyRoute {
  return typeof value.path === 'string' && typeof value.permission === 'string';
}

/** Every route of a table with its dotted name ("containers.start"), in declaration order. */
export function listRoutes(table: RouteTable, prefix = ''): { name: string; route: AnyRoute }[] {
  return Object.entries(table).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    return isRoute(value) ? [{ name, route: value }] : listRoutes(value, name);
  });
}

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;
type Input<S> = S extends z.ZodType ? z.input<S> : undefined;
type SuccessStatus = 200 | 201 | 202 | 204;

/** Params, query and body as the server's handler receives them (validated, defaults applied). */
export interface ServerInput<R extends AnyRoute> {
  params: Output<R['params']>;
  query: Output<R['query']>;
  body: R extends { body: infer B } ? Output<B> : undefined;
}

/** What a success answer holds once parsed (or, on the server, what the handler returns). */
export type RouteResponse<R extends HttpRoute> = {
  [S in keyof R['responses']]: S extends SuccessStatus ? Output<R['responses'][S]> : never;
}[keyof R['responses']];

/** The input keys a caller must give: only those the route declares. */
export type ClientInput<R extends AnyRoute> = (R['params'] extends z.ZodType
  ? { params: Input<R['params']> }
  : unknown) &
  (R['query'] extends z.ZodType ? { query?: Input<R['query']> } : unknown) &
  (R extends { body: infer B extends z.ZodType } ? { body: z.input<B> } : unknown) &
  (R extends { bodyType: string } ? { body: RawBody; contentType?: string } : unknown);

/** A raw request body: a file or a stream (the browser streams a File from disk). */
export type RawBody = Blob | ReadableStream<Uint8Array> | Uint8Array | string;
