export interface ScrapeJob {
  name: string;
  /** host:port */
  target: string;
  scheme?: 'http' | 'https';
  path?: string;
  /** Sent as `Authorization: Bearer <token>`; none when absent. */
  token?: string;
}
export interface TestPrometheus {
  /** Base URL of its HTTP API, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Stops Prometheus and removes its config and TSDB. */
  stop(): Promise<void>;
}
export function ensurePrometheusTools(): Promise<void>;
export function startTestPrometheus(options: { jobs: ScrapeJob[] }): Promise<TestPrometheus>;
