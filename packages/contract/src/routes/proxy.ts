import { ErrorBody, NoContent } from '../errors.js';
import {
  ProxyRoute,
  ProxyRouteCreate,
  ProxyRouteList,
  ProxyRouteParams,
  ProxyRoutesQuery,
  ProxyRouteUpdate,
  ProxySettings,
  ProxySettingsUpdate,
  ProxyState,
} from '../proxy.js';
import { httpRoute } from '../route.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['proxy'];

/**
 * Routes through Caddy (BERTH_CADDY_ADMIN) with TLS and wake-on-demand. Reads show the routes
 * whose target host the caller can see; changes are for admins; waking and sleeping a route
 * needs write access to its target's host.
 */
export const proxyRoutes = {
  state: httpRoute({
    method: 'GET',
    path: '/api/proxy',
    tags,
    summary: "The proxy: Caddy's admin API reachable, its version, the server, certificates",
    permission: 'authenticated',
    responses: { 200: ProxyState },
  }),
  updateSettings: httpRoute({
    method: 'PATCH',
    path: '/api/proxy/settings',
    tags,
    summary: 'The ACME email and CA for routes with automatic TLS',
    permission: 'admin',
    audit: 'proxy.settings',
    body: ProxySettingsUpdate,
    responses: { 200: ProxySettings, 400: ErrorBody },
  }),
  list: httpRoute({
    method: 'GET',
    path: '/api/proxy/routes',
    tags,
    summary: 'Routes, with whether Caddy holds them, their upstreams, certificates and wake state',
    permission: 'authenticated',
    query: ProxyRoutesQuery,
    responses: { 200: ProxyRouteList, 400: ErrorBody },
  }),
  create: httpRoute({
    method: 'POST',
    path: '/api/proxy/routes',
    tags,
    summary:
      'Add a route: hostnames (and a path) to a container, a stack service or a Swarm service',
    permission: 'admin',
    audit: 'proxy.route.create',
    body: ProxyRouteCreate,
    responses: { 201: ProxyRoute, ...errors },
  }),
  get: httpRoute({
    method: 'GET',
    path: '/api/proxy/routes/:id',
    tags,
    summary: 'One route',
    permission: 'authenticated',
    params: ProxyRouteParams,
    responses: { 200: ProxyRoute, 404: ErrorBody },
  }),
  update: httpRoute({
    method: 'PATCH',
    path: '/api/proxy/routes/:id',
    tags,
    summary: 'Change a route (routes declared by labels change with their labels)',
    permission: 'admin',
    audit: 'proxy.route.update',
    params: ProxyRouteParams,
    body: ProxyRouteUpdate,
    responses: { 200: ProxyRoute, ...errors },
  }),
  remove: httpRoute({
    method: 'DELETE',
    path: '/api/proxy/routes/:id',
    tags,
    summary: 'Remove a route from Caddy and Berth',
    permission: 'admin',
    audit: 'proxy.route.delete',
    params: ProxyRouteParams,
    responses: { 204: NoContent, ...errors },
  }),
  wake: httpRoute({
    method: 'POST',
    path: '/api/proxy/routes/:id/wake',
    tags,
    summary: 'Start a sleeping route’s target now and point the route at it once healthy',
    permission: 'authenticated',
    audit: 'proxy.route.wake',
    params: ProxyRouteParams,
    responses: { 200: ProxyRoute, ...errors },
  }),
  sleep: httpRoute({
    method: 'POST',
    path: '/api/proxy/routes/:id/sleep',
    tags,
    summary: 'Stop a wake-on-demand route’s target now; the next request wakes it',
    permission: 'authenticated',
    audit: 'proxy.route.sleep',
    params: ProxyRouteParams,
    responses: { 200: ProxyRoute, ...errors },
  }),
};
