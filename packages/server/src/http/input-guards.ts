import type { FieldIssue } from '@berth/contract';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.js';

/** What an API route takes when it declares no query: nothing. */
export const NoQuery = z.strictObject({});
/**
 * What an API route takes when it declares no body: nothing (Fastify says null for a DELETE
 * without one), or an empty JSON object.
 */
export const NoBody = z.strictObject({}).nullish();

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isApiRoute(url: string): boolean {
  return url.startsWith('/api/') && !url.startsWith('/api/docs');
}

/**
 * An API route accepts only the input it declares: without a query schema, any query parameter
 * is refused; without a body schema (and no raw `bodyType`), any body but `{}` is. Called from
 * the app's onRoute hook, before Fastify compiles the route's validators.
 */
export function declareUndeclaredInput(route: RouteOptions): void {
  if (!isApiRoute(route.url)) return;
  const schema = (route.schema ??= {});
  schema.querystring ??= NoQuery;
  const methods = [route.method].flat();
  const takesBody = methods.some((m) => BODY_METHODS.has(m));
  if (takesBody && route.config?.bodyType === undefined) schema.body ??= NoBody;
}

function validationError(issues: FieldIssue[]): AppError {
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return AppError.badRequest('validation_failed', `Invalid request: ${summary}`, { issues });
}

/** The first text of `value` (or one of its keys) that no engine or database can take. */
export function textIssue(value: unknown, path: string[], depth = 0): FieldIssue | null {
  const fault = (text: string): string | null => {
    if (LONE_SURROGATE.test(text)) return 'is not well-formed Unicode (a lone surrogate)';
    if (text.includes('\u0000')) return 'contains a NUL character';
    return null;
  };
  if (typeof value === 'string') {
    const message = fault(value);
    return message ? { field: path.join('.'), message } : null;
  }
  // Deeper values are the schema's to refuse (no field of the contract nests this far).
  if (typeof value !== 'object' || value === null || depth > 32) return null;
  for (const [key, item] of Object.entries(value)) {
    const keyFault = fault(key);
    if (keyFault) return { field: [...path, key].join('.'), message: `name ${keyFault}` };
    const found = textIssue(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

function checkText(request: FastifyRequest): void {
  const parts: [string, unknown][] = [
    ['params', request.params],
    ['query', request.query],
  ];
  if (request.routeOptions.config.bodyType === undefined) parts.push(['body', request.body]);
  for (const [where, value] of parts) {
    const issue = textIssue(value, [where]);
    if (issue) throw validationError([issue]);
  }
}

function checkBodyType(request: FastifyRequest): void {
  const wanted = request.routeOptions.config.bodyType;
  if (wanted === undefined) return;
  const sent = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (sent && sent !== wanted)
    throw new AppError(415, 'unsupported_media_type', `This route takes a ${wanted} body`, {
      issues: [{ field: 'headers.content-type', message: `must be ${wanted}` }],
    });
}

/**
 * Input every route refuses before its schema runs: text with lone UTF-16 surrogates or NUL
 * characters (URI encoding throws on the first, the engine and C strings cut at the second),
 * and, on routes that take a raw body, a body of another type than theirs.
 */
export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      checkBodyType(request);
      checkText(request);
      done();
    } catch (err) {
      done(err as Error);
    }
  });
}
