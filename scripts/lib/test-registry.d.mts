export interface TestRegistry {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** host:port, as it appears in an image reference */
  host: string;
  /** Stops the registry and removes its storage. */
  stop(): Promise<void>;
}
export function ensureRegistryTools(): Promise<void>;
export function startTestRegistry(options?: {
  auth?: { username: string; password: string };
}): Promise<TestRegistry>;
