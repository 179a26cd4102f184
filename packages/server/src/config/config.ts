import { resolve } from 'node:path';
import { z } from 'zod';
import { METRIC_ROW_BYTES, type MetricsConfig } from '../modules/metrics/metrics-parts.js';
import type { MonitoringOptions } from '../modules/alerts/monitoring-services.js';
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
  BERTH_SETUP_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  BERTH_PASSWORD_MIN_LENGTH: count(8, 1024).default(12),
  BERTH_SESSION_IDLE_MINUTES: count(1, 7 * 24 * 60).default(120),
  BERTH_SESSION_MAX_HOURS: count(1, 24 * 365).default(24),
  BERTH_LOGIN_MAX_FAILURES: count(1, 1000).default(5),
  BERTH_LOGIN_WINDOW_MINUTES: count(1, 24 * 60).default(15),
  BERTH_API_RATE_LIMIT: count(1, 1_000_000).default(600),
  BERTH_TRUSTED_ORIGINS: z.string().optional(),
  BERTH_UPDATE_CHECK_HOURS: z.coerce
    .number({ error: 'must be a number of hours (0 turns checks off)' })
    .min(0, 'must be 0 or more')
    .max(24 * 30, 'at most 720')
    .default(6),
  BERTH_METRICS_INTERVAL: count(0, 3600).default(15),
  BERTH_METRICS_RAW_HOURS: count(1, 24 * 30).default(24),
  BERTH_METRICS_MINUTE_DAYS: count(1, 90).default(7),
  BERTH_METRICS_QUARTER_DAYS: count(1, 3650).default(90),
  BERTH_METRICS_MAX_MB: count(1, 1_000_000).default(512),
  BERTH_NOTIFY_ATTEMPTS: count(1, 50).default(5),
  BERTH_NOTIFY_RETRY_SECONDS: count(1, 24 * 3600).default(30),
  BERTH_RESTART_LOOP_COUNT: count(2, 1000).default(5),
  BERTH_RESTART_LOOP_MINUTES: count(1, 1440).default(10),
  BERTH_INCIDENTS_DAYS: count(1, 3650).default(30),
  BERTH_ALERTS_EVALUATE_SECONDS: count(1, 3600).default(15),
  BERTH_HELPER_IMAGE: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/, 'must be an image reference like busybox:stable')
    .default('busybox:stable'),
  BERTH_CADDY_ADMIN: z
    .string()
    .regex(
      /^(https?:\/\/[^/\s]+\/?|unix:\/\/\/\S+)$/,
      'must be http(s)://host:port or unix:///path/to/admin.sock',
    )
    .default('http://127.0.0.1:2019'),
  BERTH_CADDY_SERVER: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be the name of a server in Caddy's config (srv0)")
    .optional(),
  BERTH_PROXY_CHECK_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .min(0.05, 'must be at least 0.05')
    .max(3600, 'at most 3600')
    .default(10),
  BERTH_PROXY_WAKER_LISTEN: z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'must be host:port, like 127.0.0.1:0')
    .default('127.0.0.1:0'),
  BERTH_PROXY_WAKER_ADDRESS: z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'must be host:port, as Caddy dials it')
    .optional(),
});

function count(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);
}

export type TlsConfig =
  | { mode: 'off' }
  | { mode: 'self-signed'; certFile: string; keyFile: string }
  | { mode: 'files'; certFile: string; keyFile: string };

export interface SecurityConfig {
  /** Preset one-time setup token (automation); otherwise one is generated and logged. */
  setupToken: string | null;
  passwordMinLength: number;
  sessionIdleMs: number;
  sessionMaxMs: number;
  loginMaxFailures: number;
  loginWindowMs: number;
  /** Requests per minute per session, token or anonymous IP. */
  apiRateLimitPerMinute: number;
  /** Origins besides the server's own that may send cookie-authenticated changes. */
  trustedOrigins: string[];
}

/** Where Berth reaches Caddy and how it keeps its routes there (modules/proxy). */
export interface ProxyConfig {
  /** BERTH_CADDY_ADMIN: http(s)://host:port or unix:///path. */
  admin: string;
  /** BERTH_CADDY_SERVER: the server Berth's routes go in; null: found (or Berth's own). */
  server: string | null;
  /** How often Berth checks Caddy still holds its routes. */
  checkEveryMs: number;
  /** Wake-on-demand's waker: where it listens, and what Caddy dials (null: where it is bound). */
  waker: { listen: { host: string; port: number }; address: string | null };
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  tls: TlsConfig;
  dockerHost: string;
  engine: EngineEndpoint;
  logLevel: (typeof LOG_LEVELS)[number];
  security: SecurityConfig;
  /** Image of the short-lived containers used to reach volume contents (never started). */
  helperImage: string;
  /** Hours between automatic image update checks; 0 turns them off. */
  updateCheckHours: number;
  /** Notification deliveries: attempts, and the first wait between them (it doubles). */
  notify: { maxAttempts: number; retryBaseMs: number };
  /** The metrics sampler's interval (0: off) and how long its history is kept. */
  metrics: MetricsConfig;
  /** Restart loops (N restarts in M minutes), health history retention, alert evaluation tick. */
  monitoring: MonitoringOptions;
  proxy: ProxyConfig;
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

  const trustedOrigins = (e.BERTH_TRUSTED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of trustedOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      problems.push(
        `BERTH_TRUSTED_ORIGINS: "${origin}" is not an origin like https://berth.example.com`,
      );
    }
  }

  const wakerListen = e.BERTH_PROXY_WAKER_LISTEN;
  if (Number(wakerListen.slice(wakerListen.lastIndexOf(':') + 1)) > 65535) {
    problems.push(`BERTH_PROXY_WAKER_LISTEN: port must be 65535 or less (got "${wakerListen}")`);
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
    helperImage: e.BERTH_HELPER_IMAGE,
    updateCheckHours: e.BERTH_UPDATE_CHECK_HOURS,
    metrics: {
      intervalSeconds: e.BERTH_METRICS_INTERVAL,
      retention: {
        rawSeconds: e.BERTH_METRICS_RAW_HOURS * 3600,
        minuteSeconds: e.BERTH_METRICS_MINUTE_DAYS * 86_400,
        quarterSeconds: e.BERTH_METRICS_QUARTER_DAYS * 86_400,
        maxRows: Math.floor((e.BERTH_METRICS_MAX_MB * 1_000_000) / METRIC_ROW_BYTES),
      },
    },
    monitoring: {
      incidents: {
        restartLoop: {
          count: e.BERTH_RESTART_LOOP_COUNT,
          windowMs: e.BERTH_RESTART_LOOP_MINUTES * 60_000,
        },
        retentionMs: e.BERTH_INCIDENTS_DAYS * 86_400_000,
      },
      evaluateEveryMs: e.BERTH_ALERTS_EVALUATE_SECONDS * 1000,
    },
    proxy: {
      admin: e.BERTH_CADDY_ADMIN,
      server: e.BERTH_CADDY_SERVER ?? null,
      checkEveryMs: Math.round(e.BERTH_PROXY_CHECK_SECONDS * 1000),
      waker: {
        listen: {
          host: wakerListen.slice(0, wakerListen.lastIndexOf(':')).replace(/^\[|\]$/g, ''),
          port: Number(wakerListen.slice(wakerListen.lastIndexOf(':') + 1)),
        },
        address: e.BERTH_PROXY_WAKER_ADDRESS ?? null,
      },
    },
    notify: {
      maxAttempts: e.BERTH_NOTIFY_ATTEMPTS,
      retryBaseMs: e.BERTH_NOTIFY_RETRY_SECONDS * 1000,
    },
    security: {
      setupToken: e.BERTH_SETUP_TOKEN ?? null,
      passwordMinLength: e.BERTH_PASSWORD_MIN_LENGTH,
      sessionIdleMs: e.BERTH_SESSION_IDLE_MINUTES * 60_000,
      sessionMaxMs: e.BERTH_SESSION_MAX_HOURS * 3_600_000,
      loginMaxFailures: e.BERTH_LOGIN_MAX_FAILURES,
      loginWindowMs: e.BERTH_LOGIN_WINDOW_MINUTES * 60_000,
      apiRateLimitPerMinute: e.BERTH_API_RATE_LIMIT,
      trustedOrigins,
    },
  };
}
