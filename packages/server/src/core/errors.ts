/**
 * The one error type the API answers with. Services throw it; the error handler turns it into
 * `{"error":{"code","message","details"}}` with `status` as the HTTP status.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static badRequest(code: string, message: string, details?: unknown): AppError {
    return new AppError(400, code, message, details);
  }

  static notFound(code: string, message: string, details?: unknown): AppError {
    return new AppError(404, code, message, details);
  }

  static conflict(code: string, message: string, details?: unknown): AppError {
    return new AppError(409, code, message, details);
  }

  static unavailable(code: string, message: string, details?: unknown): AppError {
    return new AppError(503, code, message, details);
  }
}

/** The message of anything thrown, for logs and status fields. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
