import { pino, type Logger } from 'pino';

export type { Logger };

/** The one logger: JSON lines on stdout, credentials never written. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'berth' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
  });
}
