import type { ProxyRoute } from '@berth/contract';
import { Globe } from 'lucide-react';
import { useProxyRoutes } from '../../api/proxy.js';
import './proxy.css';
import {
  addressText,
  routesOfContainer,
  routesOfStack,
  type RoutedContainer,
} from './proxy-view.js';

/** Every address of these routes, once each. */
const urlsOf = (routes: readonly ProxyRoute[]): string[] => [
  ...new Set(routes.flatMap((r) => (r.urls.length > 0 ? r.urls : r.hostnames))),
];

/**
 * A container's or a stack's routes as links to the addresses they answer on, opening in a
 * new tab (another site). `compact`: the first only, the rest counted (a list row's one line).
 */
export function RouteLinks({
  routes,
  compact = false,
}: {
  routes: readonly ProxyRoute[];
  compact?: boolean;
}) {
  const urls = urlsOf(routes);
  if (urls.length === 0) return null;
  const shown = compact ? urls.slice(0, 1) : urls;
  return (
    <span
      className={compact ? 'route-links route-links-compact' : 'route-links'}
      data-testid="route-links"
    >
      <Globe size={14} aria-hidden />
      {shown.map((url) => (
        <a key={url} href={url} target="_blank" rel="noreferrer" title={`Open ${url} (new tab)`}>
          {addressText(url)}
        </a>
      ))}
      {compact && urls.length > 1 && (
        <span className="muted" title={urls.slice(1).join(', ')}>
          +{urls.length - 1}
        </span>
      )}
    </span>
  );
}

/** The routes to one container, read with the host's routes (one answer for the whole page). */
export function ContainerRouteLinks({ host, c }: { host: string; c: RoutedContainer }) {
  const routes = useProxyRoutes({ host }).data ?? [];
  return <RouteLinks routes={routesOfContainer(routes, host, c)} />;
}

/** The routes to a stack's services, or declared by its labels. */
export function StackRouteLinks({ host, stack }: { host: string; stack: string }) {
  const routes = useProxyRoutes({ host }).data ?? [];
  return <RouteLinks routes={routesOfStack(routes, host, stack)} />;
}
