import type { Logger } from './logger.js';

/** The parts of `process` the guards use (the tests pass their own). */
export interface GuardedProcess {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (err: Error, origin: string) => void): unknown;
  exit(code: number): void;
}

/** pino's error serializer gives an Error's type, message and stack; anything else as text. */
function describe(reason: unknown): Record<string, unknown> {
  return reason instanceof Error ? { err: reason } : { reason: String(reason) };
}

export interface ProcessGuards {
  /** Unhandled rejections seen since start. */
  readonly unhandledRejections: number;
}

/**
 * The last line of defence, installed by main.ts. An uncaught exception leaves the process in
 * an unknown state: it is logged (fatal) and the process exits 1, for the supervisor to restart
 * it. An unhandled rejection is a bug, but one that has already failed the single operation it
 * belonged to: it is logged (error) with a running count, and Berth serves on, rather than
 * dropping every user's sessions and streams over one lost promise.
 */
export function installProcessGuards(
  logger: Logger,
  proc: GuardedProcess = process,
): ProcessGuards {
  const guards = { unhandledRejections: 0 };
  proc.on('unhandledRejection', (reason) => {
    guards.unhandledRejections += 1;
    logger.error(
      { ...describe(reason), unhandledRejections: guards.unhandledRejections },
      'unhandled promise rejection (a bug: please report it); serving on',
    );
  });
  proc.on('uncaughtException', (err, origin) => {
    logger.fatal({ ...describe(err), origin }, 'uncaught exception; exiting');
    logger.flush();
    proc.exit(1);
  });
  return guards;
}
