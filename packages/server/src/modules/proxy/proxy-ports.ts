// The seam between the proxy's two halves: the routes side (stored routes, Caddy's config,
// upstream resolution; proxy-service.ts and what it uses) and the wake side (activity, idle
// sleep, the waker that holds or answers a request while a target starts; wake/). Each side
// gets the other only through these interfaces, given in services.ts.
import type {
  ProxyAuth,
  ProxyHeaders,
  ProxyRouteSource,
  ProxyTarget,
  ProxyTls,
  ProxyWakeInput,
  ProxyWakeState,
} from '@berth/contract';

/** A route as stored: the view's inputs (auth with bcrypt hashes, never passwords). */
export interface StoredProxyRoute {
  id: string;
  hostnames: string[];
  pathPrefix: string | null;
  target: ProxyTarget;
  tls: ProxyTls;
  /** The view's auth plus, for basic auth, each user's bcrypt hash. */
  auth: ProxyAuth & { hashes?: Record<string, string> };
  headers: ProxyHeaders;
  compress: boolean;
  wake: ProxyWakeInput | null;
  enabled: boolean;
  source: ProxyRouteSource;
  createdAt: string;
  updatedAt: string;
}

/** An address Caddy dials for a route's target, and the container behind it when known. */
export interface ResolvedUpstream {
  dial: string;
  container: string | null;
}

/** What the wake side asks of the routes side. */
export interface ProxyRouteDirectory {
  get(id: string): StoredProxyRoute | undefined;
  list(): StoredProxyRoute[];
  /**
   * Writes the route to Caddy again, its upstreams now the waker (while the target sleeps or
   * starts) or the target's own (once it answers). Resolves when Caddy has it.
   */
  repoint(id: string): Promise<void>;
  /** The target's upstreams as they resolve now (from the engine's state). */
  resolveUpstreams(id: string): Promise<ResolvedUpstream[]>;
  /** Caddy's count of open requests per upstream dial address (its /reverse_proxy/upstreams). */
  openRequests(): Promise<Map<string, number>>;
  /** Tells viewers the route changed (its wake state): a `proxy` message on the events stream. */
  changed(id: string): void;
}

/** What the routes side asks of the wake side. */
export interface WakeControl {
  /** True while the route must point at the waker (its target sleeps, or starts). */
  pointsAtWaker(routeId: string): boolean;
  /** The wake state shown on the route; null when the route has no wake. */
  view(routeId: string): ProxyWakeState | null;
  /** A route was created, changed (null: removed) or loaded at start. */
  routeChanged(id: string, route: StoredProxyRoute | null): void;
  /**
   * Where Caddy reaches the waker (host:port) and the header values it must set on requests
   * it sends there, so the waker knows the route and that Caddy sent it. Null: no waker.
   */
  waker(routeId: string): { dial: string; headers: Record<string, string> } | null;
  /** Where Caddy reaches the waker (host:port), for the proxy's state; null: no waker. */
  wakerAddress(): string | null;
  /**
   * The address of Berth's access-log listener for Caddy's `net` log writer
   * (`tcp/127.0.0.1:PORT`); the routes side logs every Berth route's hostnames to it.
   */
  accessLogAddress(): string | null;
  /** Starts the target now (POST …/wake); resolves when it answers or fails. */
  wake(routeId: string, actor: string): Promise<void>;
  /** Stops the target now (POST …/sleep). */
  sleep(routeId: string, actor: string): Promise<void>;
}
