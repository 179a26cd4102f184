/** The engine could not be reached at all (socket missing, refused, reset, timed out). */
export class EngineUnreachableError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(`engine at ${endpoint} is unreachable: ${reason}`);
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
