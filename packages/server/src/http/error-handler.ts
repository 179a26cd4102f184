import type { ErrorBody, FieldIssue } from '@berth/contract';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../core/errors.js';
import { EngineRequestError, EngineUnreachableError } from '../docker/engine-errors.js';

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

const ENGINE_CODES: Record<number, string> = {
  404: 'engine_not_found',
  409: 'engine_conflict',
};

function body(code: string, message: string, details?: unknown): ErrorBody {
  return details === undefined
    ? { error: { code, message } }
    : { error: { code, message, details } };
}

function fieldIssues(
  error: FastifyError & { validation: { instancePath: string; message?: string }[] },
): FieldIssue[] {
  const where =
    error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'request');
  return error.validation.map((issue) => ({
    field: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
    message: issue.message ?? 'is invalid',
  }));
}

/** Maps whatever a route threw to the one error shape; never leaks a stack trace. */
export function handleError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof AppError) {
    const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)
      ?.retryAfterSeconds;
    if (error.status === 429 && typeof retryAfter === 'number')
      void reply.header('retry-after', String(retryAfter));
    return reply.status(error.status).send(body(error.code, error.message, error.details));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = fieldIssues(error);
    const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return reply
      .status(400)
      .send(body('validation_failed', `Invalid request: ${summary}`, { issues }));
  }
  if (error instanceof EngineUnreachableError) {
    return reply.status(503).send(body('host_unreachable', error.message));
  }
  if (error instanceof EngineRequestError) {
    request.log.warn({ engineStatus: error.statusCode, path: error.path }, error.message);
    // The engine's 4xx answers are about the request (no such object, conflict, bad value)
    // and keep their status; its 5xx answers are a failure of the engine: 502.
    const clientSide = error.statusCode >= 400 && error.statusCode < 500;
    const code = clientSide
      ? (ENGINE_CODES[error.statusCode] ?? 'engine_rejected')
      : 'engine_error';
    return reply
      .status(clientSide ? error.statusCode : 502)
      .send(body(code, `The engine refused: ${error.message}`));
  }
  const status = (error as Partial<FastifyError>).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = error instanceof Error ? error.message : 'Bad request';
    return reply.status(status).send(body(STATUS_CODES[status] ?? 'bad_request', message));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send(
    body('internal', 'Internal server error; the server log has the details', {
      requestId: request.id,
    }),
  );
}

/**
 * One error handler for the app. Unknown GETs outside /api get the web app's page (its router
 * handles them: deep links like /containers/abc); unknown API routes get the JSON 404.
 */
export function registerErrorHandling(app: FastifyInstance, appPage: Buffer | null = null): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    if (appPage && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(appPage);
    }
    return reply
      .status(404)
      .send(
        body('route_not_found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`),
      );
  });
}
