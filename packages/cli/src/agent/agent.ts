import { hostname } from 'node:os';
import type { AgentPolicy } from '@berth/contract';
import { AgentStateStore } from './agent-state.js';
import { AgentStop, runSession } from './agent-session.js';
import { engineProxy, parseEngineAddress } from './engine-proxy.js';

export interface AgentOptions {
  server: string | null;
  token: string | null;
  engine: string;
  policy: AgentPolicy;
  stateDir: string;
  version: string;
  log: (line: string) => void;
  /** Ends the agent (SIGTERM, SIGINT). */
  signal: AbortSignal;
  /** How often the connection to Berth is checked. */
  heartbeatMs: number;
  /** Reconnect backoff bounds. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/**
 * The agent: connects to Berth and serves its engine there, again and again with backoff
 * when the connection drops, until a refusal says it may not (AgentStop) or it is told to end.
 */
export async function runAgent(options: AgentOptions): Promise<void> {
  const name = hostname();
  const proxy = engineProxy(parseEngineAddress(options.engine), options.policy, name);
  const store = new AgentStateStore(options.stateDir);
  const min = options.retryMinMs ?? 1_000;
  const max = options.retryMaxMs ?? 30_000;
  let delay = min;
  try {
    while (!options.signal.aborted) {
      try {
        const reason = await runSession({
          server: options.server,
          token: options.token,
          signal: options.signal,
          heartbeatMs: options.heartbeatMs,
          self: {
            version: options.version,
            hostname: name,
            engine: options.engine,
            policy: options.policy,
          },
          store,
          proxy,
          log: options.log,
          onConnected: () => {
            delay = min;
          },
        });
        options.log(`disconnected: ${reason}`);
        // Berth asked for a new connection (the key was rotated): no reason to wait.
        if (reason === 'reconnect') continue;
      } catch (err) {
        if (err instanceof AgentStop) throw err;
        options.log(err instanceof Error ? err.message : String(err));
      }
      const wait = Math.round(delay * (0.8 + Math.random() * 0.4));
      options.log(`reconnecting in ${(wait / 1000).toFixed(1)} s`);
      await sleep(wait, options.signal);
      delay = Math.min(delay * 2, max);
    }
  } finally {
    proxy.close();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
