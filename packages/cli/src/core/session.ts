import { api, createApiClient, type ApiClient, type Api } from '@berth/contract';
import type WebSocket from 'ws';
import { configPath, findContext, loadConfig, type ContextEntry } from './config.js';
import { CliError } from './errors.js';
import type { TrustOptions } from './tls.js';
import { openWebSocket, trustedFetch } from './transport.js';

/** Options every command takes (the root program's). */
export interface GlobalOptions {
  context?: string;
  host?: string;
  dryRun?: boolean;
  caFile?: string;
  fingerprint?: string;
}

/** Where a command goes: the server, its credentials and the host, resolved once. */
export interface Target {
  /** The context's name, or null when BERTH_URL alone names the server. */
  context: string | null;
  url: string;
  token: string | undefined;
  host: string;
  trust: TrustOptions;
}

/**
 * Resolves the target: `--context`, else `BERTH_CONTEXT`, else the current context; then
 * `BERTH_URL` and `BERTH_TOKEN` override its server and token; `--host`/`-H`, else the
 * context's host, else `local`.
 */
export function resolveTarget(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
): Target {
  const config = loadConfig();
  const name = options.context ?? env.BERTH_CONTEXT ?? config.currentContext;
  let entry: ContextEntry | undefined;
  if (name !== undefined) {
    entry = findContext(config, name);
    if (!entry)
      throw new CliError(`no context "${name}" in ${configPath()} (berth context ls lists them)`);
  }
  const url = env.BERTH_URL ?? entry?.url;
  if (!url)
    throw new CliError(
      'no Berth server: run `berth login <url>`, or set BERTH_URL and BERTH_TOKEN',
    );
  return {
    context: env.BERTH_URL && !options.context ? null : (entry?.name ?? null),
    url: url.replace(/\/+$/, ''),
    token: env.BERTH_TOKEN ?? entry?.token,
    host: options.host ?? entry?.host ?? 'local',
    trust: {
      caFile: options.caFile ?? entry?.caFile,
      fingerprint: options.fingerprint ?? entry?.fingerprint,
    },
  };
}

/** A connected CLI: the typed client of the route contract, and streams on the same trust. */
export interface Session {
  target: Target;
  /** The host commands act on (`--host`). */
  host: string;
  client: ApiClient<Api>;
  /** --dry-run: print what a change would do, change nothing. */
  dryRun: boolean;
  /** Opens a WebSocket stream at a path the client's `url()` gave (ws is loaded then). */
  socket(path: string): Promise<WebSocket>;
}

export function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export function clientFor(target: Target): ApiClient<Api> {
  return createApiClient(api, {
    baseUrl: target.url,
    fetch: trustedFetch(target.trust),
    headers: () => authHeaders(target.token),
  });
}

export function openSession(options: GlobalOptions): Session {
  const target = resolveTarget(options);
  if (!target.token)
    throw new CliError(
      `not logged in to ${target.url}: run \`berth login ${target.url}\`, or set BERTH_TOKEN`,
    );
  return {
    target,
    host: target.host,
    client: clientFor(target),
    dryRun: options.dryRun === true,
    socket: (path) =>
      openWebSocket(
        `${target.url.replace(/^http/, 'ws')}${path}`,
        target.trust,
        authHeaders(target.token),
      ),
  };
}
