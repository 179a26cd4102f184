export interface IsolatedEngine {
  host: string;
  socketPath: string;
  dir: string;
  /** Stops the daemon, keeping its data so start() brings the same engine back. */
  halt(): Promise<void>;
  start(): Promise<void>;
  /** Stops the daemon and removes everything it had. */
  stop(): Promise<void>;
}
export function ensureEngineTools(): Promise<void>;
export function isStaticBusybox(): Promise<string | null>;
export function startIsolatedEngine(options?: {
  bridge?: boolean;
  quiet?: boolean;
  /** More dockerd arguments (another listener, TLS). */
  args?: string[];
  /** Run the daemon inside this network namespace (made by `ip netns add`): entered with `nsenter --net`. */
  netns?: string | null;
  /** More environment for the daemon (e.g. DOCKER_SERVICE_PREFER_OFFLINE_IMAGE). */
  env?: Record<string, string>;
}): Promise<IsolatedEngine>;
