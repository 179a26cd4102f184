import { ApiError, ContractMismatch, NetworkError } from '@berth/contract';

/** Exit codes: 0 ok, 1 the command failed, 2 it was used wrongly. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A failure the CLI explains in one line; `exitCode` 2 for misuse. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wrong use of a command (a bad flag value, a missing argument): exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/**
 * The one line an error becomes: the server's code and message for an API error (with the
 * fields a validation error names), the cause for an unreachable server.
 */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = Object.entries(err.fieldErrors())
      .map(([field, message]) => `${field}: ${message}`)
      .join('; ');
    return `${err.code}: ${err.message}${fields ? ` (${fields})` : ''}`;
  }
  if (err instanceof NetworkError) {
    const cause = err.cause as { message?: string; cause?: { message?: string; code?: string } };
    const detail = cause?.cause?.message ?? cause?.cause?.code ?? cause?.message;
    return `cannot reach the server${detail ? `: ${detail}` : ''}`;
  }
  if (err instanceof ContractMismatch) return `unexpected answer from the server: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function exitCodeOf(err: unknown): number {
  return err instanceof CliError ? err.exitCode : EXIT_FAILED;
}
