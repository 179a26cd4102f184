import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditOutcome } from '@berth/contract';
import type { AuditActor, AuditRecord, AuditSink, AuditSubjects } from './audit-sink.js';
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

const COLLECTION = /^\/api\/hosts\/:host\/([a-z-]+)\/:id(\/|$)/;

/** The container or network a route acts on, named, looked up before the handler changes it. */
function subjectOf(request: FastifyRequest, subjects: AuditSubjects): string | undefined {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const kind = COLLECTION.exec(request.routeOptions.url ?? '')?.[1];
  if (kind === undefined || typeof params.host !== 'string' || typeof params.id !== 'string')
    return undefined;
  return subjects.label(params.host, kind, params.id) ?? undefined;
}

function targetOf(request: FastifyRequest): string | null {
  const target = auditInfo(request).target;
  if (target) return target;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const parts = [params.host, params.id].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join('/') : null;
}

/** A dry run lists what an action would do and changes nothing: a preview, not the action. */
function isPreview(request: FastifyRequest): boolean {
  const body: unknown = request.body;
  return (
    typeof body === 'object' && body !== null && (body as { dryRun?: unknown }).dryRun === true
  );
}

function outcomeOf(status: number, denied: boolean): AuditOutcome {
  if (denied || status === 401 || status === 403) return 'denied';
  return status < 400 ? 'success' : 'failure';
}

/**
 * A change is recorded, and so is a read that declares an audit action: what takes data out
 * (file and backup downloads, `docker save`) or reveals a secret (the swarm's join tokens).
 */
function isRecorded(request: FastifyRequest): boolean {
  if (!SAFE_METHODS.has(request.method)) return true;
  // A stream route (a WebSocket upgrade) records its own session, from open to close.
  return request.routeOptions.config.audit !== undefined && !request.ws;
}

/**
 * Records every state-changing request, every audited read and every refusal, before the
 * answer leaves, so an entry exists by the time the caller sees the result.
 */
export function registerAuditHook(
  app: FastifyInstance,
  audit: AuditSink,
  subjects: AuditSubjects,
): void {
  app.addHook('preHandler', (request, _reply, done) => {
    if (isRecorded(request) && !request.routeOptions.config.noAudit) {
      const subject = subjectOf(request, subjects);
      if (subject !== undefined) auditInfo(request).target ??= subject;
    }
    done();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.is404) return payload;
    const info = auditInfo(request);
    const denied = info.denied === true;
    const recorded = isRecorded(request);
    if (!recorded && !denied) return payload;
    if ((request.routeOptions.config.noAudit || isPreview(request)) && !denied) return payload;
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    const mutating = recorded;
    const entry: AuditRecord = {
      actor: actorOf(request),
      action: mutating ? (request.routeOptions.config.audit ?? route) : 'permission.denied',
      target: mutating ? targetOf(request) : (targetOf(request) ?? route),
      outcome: outcomeOf(reply.statusCode, denied),
      status: reply.statusCode,
      details: mutating ? (info.details ?? null) : { route },
    };
    if (info.outcome && entry.outcome === 'success') entry.outcome = info.outcome;
    const settled = reply.statusCode < 400 ? info.settled : undefined;
    if (!settled) {
      await audit.record(entry);
      return payload;
    }
    void settled
      .then((end) => audit.record({ ...entry, outcome: end.outcome, details: end.details }))
      .catch((err: unknown) => request.log.error({ err }, 'could not write the audit entry'));
    return payload;
  });
}
