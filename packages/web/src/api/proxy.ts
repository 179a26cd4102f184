import type { ProxyRoute, ProxyRouteList, StreamProxy } from '@berth/contract';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { client } from './client.js';

/**
 * Query keys of the proxy: its routes span hosts, so they live outside `['hosts', …]`; every
 * one starts with `proxy`, so one prefix renews them.
 */
export const proxyKeys = {
  all: ['proxy'] as const,
  state: ['proxy', 'state'] as const,
  routes: (filter: ProxyRouteFilter) => ['proxy', 'routes', filter] as const,
};

/** Which routes a list asks for: every visible one, or those to one host's targets. */
export interface ProxyRouteFilter {
  host?: string;
}

/** The proxy's state: Caddy reachable or why not, its version, the routes applied. */
export const useProxyState = () =>
  useQuery({ queryKey: proxyKeys.state, queryFn: () => client.proxy.state(), retry: false });

/**
 * Routes, kept live by the events stream's `proxy` messages (no polling). Pages that only link
 * to routes share one answer for a minute: moving between a host's pages reads it once.
 */
export const useProxyRoutes = (filter: ProxyRouteFilter = {}, enabled = true) =>
  useQuery({
    queryKey: proxyKeys.routes(filter),
    queryFn: async () => (await client.proxy.list({ query: filter })).routes,
    staleTime: 60_000,
    retry: false,
    enabled,
  });

/** A list with one route's change applied: replaced, added (if the list takes it) or removed. */
export function withRouteChange(
  routes: readonly ProxyRoute[],
  filter: ProxyRouteFilter,
  id: string,
  route: ProxyRoute | null,
): ProxyRoute[] {
  const others = routes.filter((r) => r.id !== id);
  const belongs =
    route !== null && (filter.host === undefined || route.target.host === filter.host);
  if (!belongs) return others;
  const at = routes.findIndex((r) => r.id === id);
  if (at === -1) return [...others, route];
  return routes.map((r) => (r.id === id ? route : r));
}

/**
 * A `proxy` message of the events stream: the route itself is in it, so each cached list takes
 * it in place (no request); the proxy's counts are read again.
 */
export function applyProxyMessage(queryClient: QueryClient, message: StreamProxy): void {
  for (const [key, routes] of queryClient.getQueriesData<ProxyRouteList['routes']>({
    queryKey: [...proxyKeys.all, 'routes'],
  })) {
    if (!routes) continue;
    const filter = (key[2] ?? {}) as ProxyRouteFilter;
    queryClient.setQueryData(key, withRouteChange(routes, filter, message.id, message.route));
  }
  void queryClient.invalidateQueries({ queryKey: proxyKeys.state });
}
