import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { Principal } from './principal.js';

/** The caller of a route whose permission already demands one. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new AppError(401, 'unauthenticated', 'Log in first, or send an API token');
  return request.principal;
}
