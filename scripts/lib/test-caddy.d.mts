export const CADDY_BIN: string;
export const USER_HOSTNAME: string;
export const USER_ROUTE_BODY: string;
export function ensureCaddyTools(): Promise<void>;
export function adminGet(
  admin: { socketPath?: string | null; port?: number | null },
  path: string,
): Promise<{ status: number; body: string }>;
export interface TestCaddy {
  /** BERTH_CADDY_ADMIN form: unix:///… or http://127.0.0.1:port */
  admin: string;
  adminSocket: string | null;
  adminPort: number | null;
  httpPort: number;
  httpsPort: number;
  dir: string;
  dataDir: string;
  logFile: string;
  caRootPath: string;
  restart(): Promise<void>;
  halt(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
export function startTestCaddy(options?: { admin?: 'socket' | 'port' }): Promise<TestCaddy>;
