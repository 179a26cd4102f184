import type { ErrorBody, FieldIssue } from '@berth/contract';
import { STATUS_CODES as HTTP_REASONS } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import { drainUnreadBody } from './unread-body.js';
import type { ValidationIssue } from './validation.js';
import {
  EngineRequestError,
  EngineUnreachableError,
  isStateRefusal,
} from '../docker/engine-errors.js';

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
  426: 'upgrade_required',
  431: 'headers_too_large',
  429: 'rate_limited',
};

const ENGINE_CODES: Record<number, string> = {
  404: 'engine_not_found',
  409: 'engine_conflict',
};

/**
 * Errors of the HTTP layer itself (the body parser), with the part of the request they are
 * about, so they name a field like every validation error.
 */
const HTTP_LAYER_ERRORS: Record<string, { code: string; field: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'invalid_json',
    field: 'body',
    message: 'is not valid JSON (or names __proto__ or constructor.prototype)',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'invalid_json',
    field: 'body',
    message: 'is empty while the content type says JSON',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    field: 'headers.content-type',
    message: 'is not a type this route takes (JSON unless the route says otherwise)',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'payload_too_large',
    field: 'body',
    message: 'is larger than this route takes',
  },
  FST_ERR_BAD_URL: {
    code: 'bad_url',
    field: 'url',
    message: 'is not validly percent-encoded UTF-8',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'uri_too_long',
    field: 'params',
    message: 'has a path parameter longer than the server takes',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'bad_request',
    field: 'headers.content-length',
    message: 'does not match the body',
  },
};

function body(code: string, message: string, details?: unknown): ErrorBody {
  return details === undefined
    ? { error: { code, message } }
    : { error: { code, message, details } };
}

/** An issue of our validator, or of fastify-type-provider-zod's (a "/"-joined path only). */
type ReportedIssue = Partial<ValidationIssue> & { params?: { keys?: unknown } };
type ValidationError = Omit<FastifyError, 'validation'> & { validation: ReportedIssue[] };

function isValidationError(error: unknown): error is ValidationError {
  const candidate = error as Partial<FastifyError> | null;
  return candidate?.code === 'FST_ERR_VALIDATION' && Array.isArray(candidate.validation);
}

function fieldIssues(error: ValidationError): FieldIssue[] {
  const where =
    error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'request');
  return error.validation.flatMap((issue) => {
    const keys = issue.path?.map(String) ?? (issue.instancePath ?? '').split('/').filter(Boolean);
    const path = [where, ...keys];
    const unknownKeys = issue.keys ?? issue.params?.keys;
    // A field the contract does not have: name it, rather than the object around it.
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(unknownKeys))
      return unknownKeys.map((key) => ({
        field: [...path, String(key)].join('.'),
        message: 'is not a field of this request',
      }));
    return [{ field: path.join('.'), message: issue.message ?? 'is invalid' }];
  });
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
  if (isValidationError(error)) {
    const issues = fieldIssues(error);
    const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return reply
      .status(400)
      .send(body('validation_failed', `Invalid request: ${summary}`, { issues }));
  }
  if (error instanceof EngineUnreachableError) {
    return reply.status(503).send(
      body('host_unreachable', error.message, {
        reason: error.reason,
        since: error.since?.toISOString() ?? null,
      }),
    );
  }
  if (error instanceof EngineRequestError) {
    request.log.warn({ engineStatus: error.statusCode, path: error.path }, error.message);
    // The engine's 4xx answers are about the request (no such object, conflict, bad value)
    // and keep their status; so do its 500s that only refuse an object's state (409); its
    // other 5xx answers are a failure of the engine: 502.
    if (isStateRefusal(error))
      return reply
        .status(409)
        .send(body('engine_conflict', `The engine refused: ${error.message}`));
    const clientSide = error.statusCode >= 400 && error.statusCode < 500;
    const code = clientSide
      ? (ENGINE_CODES[error.statusCode] ?? 'engine_rejected')
      : 'engine_error';
    return reply
      .status(clientSide ? error.statusCode : 502)
      .send(body(code, `The engine refused: ${error.message}`));
  }
  const status = (error as Partial<FastifyError>).statusCode;
  const layer = HTTP_LAYER_ERRORS[(error as Partial<FastifyError>).code ?? ''];
  if (layer && typeof status === 'number') {
    const issues: FieldIssue[] = [{ field: layer.field, message: layer.message }];
    return reply
      .status(status)
      .send(body(layer.code, `Invalid request: ${layer.field} ${layer.message}`, { issues }));
  }
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

const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'headers', 'are larger than the server takes'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'request', 'did not arrive in time'],
};

/**
 * What the HTTP parser answers before Fastify sees a request (headers too large, garbage
 * instead of HTTP): the one error shape too, then the connection closes as Node's own does.
 */
export function handleClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, field, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'bad_request',
    'request',
    'is not valid HTTP',
  ];
  const text = JSON.stringify(
    body(code, `Invalid request: ${field} ${message}`, { issues: [{ field, message }] }),
  );
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${HTTP_REASONS[status] ?? ''}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`,
    );
  socket.destroy(error);
}

/**
 * One error handler for the app. Unknown GETs outside /api get the web app's page (its router
 * handles them: deep links like /containers/abc); unknown API routes get the JSON 404.
 */
export function registerErrorHandling(app: FastifyInstance, appPage: Buffer | null = null): void {
  app.setErrorHandler(async (error, request, reply) => {
    await drainUnreadBody(request);
    return handleError(error, request, reply);
  });
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
