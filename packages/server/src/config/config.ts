import { resolve } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_DOCKER_HOST,
  parseDockerHost,
  type EngineEndpoint,
} from '../docker/engine-endpoint.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const Env = z.object({
  BERTH_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(8443),
  BERTH_HOST: z.string().min(1, 'must not be empty').default('0.0.0.0'),
  BERTH_DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  BERTH_TLS: z
    .enum(['self-signed', 'off', 'files'], { error: 'must be self-signed, off or files' })
    .optional(),
  BERTH_TLS_CERT: z.string().min(1).optional(),
  BERTH_TLS_KEY: z.string().min(1).optional(),
  DOCKER_HOST: z.string().min(1).default(DEFAULT_DOCKER_HOST),
  DOCKER_CERT_PATH: z.string().min(1).optional(),
  DOCKER_TLS_VERIFY: z.string().optional(),
  BERTH_LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
});

export type TlsConfig =
  | { mode: 'off' }
  | { mode: 'self-signed'; certFile: string; keyFile: string }
  | { mode: 'files'; certFile: string; keyFile: string };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  tls: TlsConfig;
  dockerHost: string;
  engine: EngineEndpoint;
  logLevel: (typeof LOG_LEVELS)[number];
}

/** Thrown at start when the environment is wrong; its message lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates Berth's configuration from the environment, in one place. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = Env.safeParse(blankless);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '');
        return `${name}: ${issue.message} (got "${env[name] ?? ''}")`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const dataDir = resolve(e.BERTH_DATA_DIR);

  let tls: TlsConfig;
  const hasFiles = e.BERTH_TLS_CERT !== undefined || e.BERTH_TLS_KEY !== undefined;
  const mode = e.BERTH_TLS ?? (hasFiles ? 'files' : 'self-signed');
  if (mode === 'off') {
    if (hasFiles) problems.push('BERTH_TLS: is "off" but BERTH_TLS_CERT/BERTH_TLS_KEY are set');
    tls = { mode: 'off' };
  } else if (mode === 'files') {
    if (!e.BERTH_TLS_CERT || !e.BERTH_TLS_KEY) {
      problems.push(
        'BERTH_TLS_CERT and BERTH_TLS_KEY: both are needed to serve your own certificate',
      );
    }
    tls = {
      mode: 'files',
      certFile: resolve(e.BERTH_TLS_CERT ?? ''),
      keyFile: resolve(e.BERTH_TLS_KEY ?? ''),
    };
  } else {
    if (hasFiles)
      problems.push('BERTH_TLS: is "self-signed" but BERTH_TLS_CERT/BERTH_TLS_KEY are set');
    tls = {
      mode: 'self-signed',
      certFile: resolve(dataDir, 'tls', 'cert.pem'),
      keyFile: resolve(dataDir, 'tls', 'key.pem'),
    };
  }

  let engine: EngineEndpoint | undefined;
  try {
    const certPath = e.DOCKER_TLS_VERIFY || e.DOCKER_CERT_PATH ? e.DOCKER_CERT_PATH : undefined;
    engine = parseDockerHost(e.DOCKER_HOST, certPath);
  } catch (err) {
    problems.push(`DOCKER_HOST: ${err instanceof Error ? err.message : String(err)}`);
  }

  if (problems.length > 0 || engine === undefined) throw new ConfigError(problems);
  return {
    port: e.BERTH_PORT,
    host: e.BERTH_HOST,
    dataDir,
    databaseFile: resolve(dataDir, 'berth.db'),
    tls,
    dockerHost: e.DOCKER_HOST,
    engine,
    logLevel: e.BERTH_LOG_LEVEL,
  };
}
