import { errorMessage } from './errors.js';
import type { Logger } from './logger.js';

/**
 * Lets work run on without awaiting it, but never unobserved: a rejection is logged with the
 * context given, at error level, instead of reaching the process as an unhandled rejection.
 */
export function runDetached(
  work: Promise<unknown>,
  logger: Logger,
  context: Record<string, unknown>,
  failure: string,
): void {
  work.catch((err: unknown) => {
    logger.error({ ...context, err: errorMessage(err) }, failure);
  });
}
