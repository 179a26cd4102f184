import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditOutcome } from '@berth/contract';
import type { AuditActor, AuditSink } from './audit-sink.js';
import { auditInfo } from './route-permissions.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function actorOf(request: FastifyRequest): AuditActor {
  const principal = request.principal;
  return {
    userId: principal?.user.id ?? null,
    username: principal?.user.username ?? auditInfo(request).username ?? null,
    tokenId: principal?.tokenId ?? null,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  };
}

function targetOf(request: FastifyRequest): string | null {
  const target = auditInfo(request).target;
  if (target) return target;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const parts = [params.host, params.id].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join('/') : null;
}

function outcomeOf(status: number, denied: boolean): AuditOutcome {
  if (denied || status === 401 || status === 403) return 'denied';
  return status < 400 ? 'success' : 'failure';
}

/**
 * Records every state-changing request and every refusal, before the answer leaves, so an
 * entry exists by the time the caller sees the result.
 */
export function registerAuditHook(app: FastifyInstance, audit: AuditSink): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.is404) return payload;
    const info = auditInfo(request);
    const denied = info.denied === true;
    if (SAFE_METHODS.has(request.method) && !denied) return payload;
    if (request.routeOptions.config.noAudit && !denied) return payload;
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    const mutating = !SAFE_METHODS.has(request.method);
    await audit.record({
      actor: actorOf(request),
      action: mutating ? (request.routeOptions.config.audit ?? route) : 'permission.denied',
      target: mutating ? targetOf(request) : (targetOf(request) ?? route),
      outcome: outcomeOf(reply.statusCode, denied),
      status: reply.statusCode,
      details: mutating ? (info.details ?? null) : { route },
    });
    return payload;
  });
}
