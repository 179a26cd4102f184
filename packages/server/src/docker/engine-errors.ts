/**
 * The engine could not be reached at all (socket missing, refused, reset, timed out). `since`
 * is set when the call was not even tried: the host has been unreachable since then.
 */
export class EngineUnreachableError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reason: string,
    readonly since: Date | null = null,
    /** The transport's own error code (ECONNREFUSED, a TLS code), where there was one. */
    readonly errorCode: string | null = null,
  ) {
    super(
      since === null
        ? `engine at ${endpoint} is unreachable: ${reason}`
        : `engine at ${endpoint} is unreachable since ${since.toISOString()}: ${reason}`,
    );
    this.name = 'EngineUnreachableError';
  }
}

/** The engine answered with an error status; `message` is the engine's own text. */
export class EngineRequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly method: string,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineRequestError';
  }
}

/**
 * What older engines answer with a 500 although the request only met the object in another
 * state ("Container x is not paused", "container x is not connected to network y"). Those
 * are the caller's conflict, not an engine failure; the engine gives no other sign of it.
 */
const STATE_REFUSALS = [
  /\bis (not|already) (paused|running|restarting|stopped)\b/i,
  /\bis not connected to (the )?network\b/i,
  /\bis already connected to (the )?network\b/i,
  /\bendpoint with name .+ already exists in network\b/i,
  /\boperation is already running\b/i,
];

/** True when an engine 5xx answer refuses the object's state rather than failing. */
export function isStateRefusal(error: EngineRequestError): boolean {
  return error.statusCode >= 500 && STATE_REFUSALS.some((pattern) => pattern.test(error.message));
}
