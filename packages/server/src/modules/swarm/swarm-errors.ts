import { AppError } from '../../core/errors.js';
import { EngineRequestError } from '../../docker/engine-errors.js';

/** The engine's refusals that are about the swarm's state: the caller's conflict, not a failure. */
const REFUSALS: { pattern: RegExp; code: string }[] = [
  { pattern: /not a swarm manager/i, code: 'not_swarm_manager' },
  { pattern: /already part of a swarm/i, code: 'already_in_swarm' },
  { pattern: /not part of a swarm/i, code: 'not_in_swarm' },
  { pattern: /update out of sequence/i, code: 'stale_version' },
  { pattern: /participating as a manager|last manager/i, code: 'last_manager' },
  { pattern: /is not down|must be demoted|can't be removed|cannot be removed/i, code: 'node_busy' },
  { pattern: /swarm is (encrypted and )?locked/i, code: 'swarm_locked' },
];

/**
 * Turns an engine error of a swarm call into a clear AppError: the engine answers a wrong swarm
 * state with 503 or 500 ("This node is not a swarm manager"), which is the caller's 409, and an
 * unknown node with 404. Anything else is rethrown for the one error handler.
 */
export function swarmError(err: unknown, hostId: string, what?: string): never {
  if (!(err instanceof EngineRequestError)) throw err;
  const message = err.message.replace(/^rpc error: code = \w+ desc = /, '');
  if (err.statusCode === 404)
    throw AppError.notFound(
      what === 'node' ? 'node_not_found' : 'engine_not_found',
      `${what === 'node' ? 'No such node' : 'Not found'} on ${hostId}: ${message}`,
    );
  const refusal = REFUSALS.find((r) => r.pattern.test(message));
  if (refusal) {
    const hint =
      refusal.code === 'not_swarm_manager'
        ? ` Host "${hostId}" is not a swarm manager: nodes and the cluster are managed through a manager.`
        : '';
    throw AppError.conflict(refusal.code, `${message}${hint}`, { host: hostId });
  }
  if (err.statusCode === 400)
    throw AppError.badRequest('engine_rejected', `The engine refused: ${message}`);
  if (err.statusCode === 503)
    throw AppError.conflict('swarm_refused', `The engine refused: ${message}`, { host: hostId });
  throw err;
}

/** Runs one engine call of a swarm route, its refusals mapped by swarmError. */
export async function swarmCall<T>(
  hostId: string,
  call: () => Promise<T>,
  what?: string,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    swarmError(err, hostId, what);
  }
}
