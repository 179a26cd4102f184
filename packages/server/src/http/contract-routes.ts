import {
  api,
  isStreamRoute,
  listRoutes,
  type AnyRoute,
  type Api,
  type HttpRoute,
  type RouteResponse,
  type RouteTable,
  type ServerInput,
  type StreamRoute,
} from '@berth/contract';
import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RouteOptions,
} from 'fastify';
import type { WebSocket } from 'ws';
import { upgradeRequired } from './upgrade-required.js';

/** A request of a declared route: params, query and body typed from its schemas. */
export type RouteRequest<R extends AnyRoute> = FastifyRequest<{
  Params: ServerInput<R>['params'];
  Querystring: ServerInput<R>['query'];
  Body: ServerInput<R>['body'];
}>;

type MaybePromise<T> = T | Promise<T>;

/**
 * The handler of an HTTP route: answers its success shape, or takes the reply over (a status
 * other than 200, a download, a stream) and returns it.
 */
export type RouteHandler<R extends HttpRoute> = (
  request: RouteRequest<R>,
  reply: FastifyReply,
) => MaybePromise<RouteResponse<R> | FastifyReply>;

/** The handler of a WebSocket stream: the socket once upgraded, and its request. */
export type StreamHandler<R extends StreamRoute> = (
  socket: WebSocket,
  request: RouteRequest<R>,
) => void;

/** One handler per route of a group: a route without one fails type-checking. */
export type Handlers<G extends RouteTable> = {
  [K in keyof G]: G[K] extends StreamRoute
    ? StreamHandler<G[K]>
    : G[K] extends HttpRoute
      ? RouteHandler<G[K]>
      : never;
};

/** The name of the declared route a registered route came from ("containers.start"). */
declare module 'fastify' {
  interface FastifyContextConfig {
    route?: string;
  }
}

function routeConfig(route: AnyRoute, name: string): FastifyContextConfig {
  const config: FastifyContextConfig = { permission: route.permission, route: name };
  if (route.audit !== undefined) config.audit = route.audit;
  if (route.beforeSetup) config.beforeSetup = true;
  if (route.allowRestricted) config.allowRestricted = true;
  if (!isStreamRoute(route)) {
    if (route.noAudit) config.noAudit = true;
    if (route.bodyType !== undefined) config.bodyType = route.bodyType;
  }
  return config;
}

/** The route's schemas, and what OpenAPI shows of its declaration (`x-berth-*`). */
function routeSchema(route: AnyRoute, name: string): FastifySchema {
  const schema: FastifySchema & Record<string, unknown> = {
    tags: [...route.tags],
    summary: route.summary,
    operationId: name,
    'x-berth-permission': route.permission,
  };
  if (route.description !== undefined) schema.description = route.description;
  if (route.audit !== undefined) schema['x-berth-audit'] = route.audit;
  if (route.params !== undefined) schema.params = route.params;
  if (route.query !== undefined) schema.querystring = route.query;
  if (isStreamRoute(route)) {
    schema['x-berth-websocket'] = true;
  } else {
    if (route.body !== undefined) schema.body = route.body;
    if (route.bodyType !== undefined) schema.consumes = [route.bodyType];
    if (route.download !== undefined) schema.produces = [route.download];
    schema.response = { ...route.responses };
  }
  return schema;
}

/**
 * Registers a group of declared routes with their handlers: the route's method, path,
 * permission, audit action and schemas all come from the contract, so what the server answers,
 * what OpenAPI documents and what the client calls are one declaration.
 */
export function registerRoutes<G extends RouteTable>(
  app: FastifyInstance,
  group: G,
  handlers: Handlers<G>,
  prefix = '',
): void {
  const table = handlers as Record<string, unknown>;
  for (const { name, route } of listRoutes(group)) {
    const handler = table[name];
    if (typeof handler !== 'function') throw new Error(`route ${prefix}${name} has no handler`);
    const common = {
      url: route.path,
      config: routeConfig(route, `${prefix}${name}`),
      schema: routeSchema(route, `${prefix}${name}`),
    };
    if (isStreamRoute(route)) {
      app.route({
        ...common,
        method: 'GET',
        handler: upgradeRequired,
        wsHandler: handler as RouteOptions['wsHandler'],
      } as RouteOptions);
    } else {
      app.route({
        ...common,
        method: route.method,
        handler: handler as RouteOptions['handler'],
      } as RouteOptions);
    }
  }
}

/**
 * The plugin that registers one feature of the contract (`api[feature]`) with its handlers:
 * what a module's `*-routes.ts` exports.
 */
export function contractRoutes<F extends keyof Api>(
  feature: F,
  handlers: Handlers<Api[F]>,
): FastifyPluginCallback {
  return (app, _options, done) => {
    registerRoutes(app, api[feature], handlers, `${feature}.`);
    done();
  };
}
