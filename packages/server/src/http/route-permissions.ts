import type { Permission, Role } from '@berth/contract';
import type { Principal } from './principal.js';

/** Declared once per route in the contract (`packages/contract/src/routes`); the auth hook enforces it. */
export type { Permission } from '@berth/contract';

export const ROLE_FOR: Record<Exclude<Permission, 'public' | 'authenticated' | 'metrics'>, Role> = {
  'host:read': 'viewer',
  'host:write': 'operator',
  admin: 'admin',
};

export interface AuditInfo {
  /** What the request acted on, when the route params do not say it well. */
  target?: string;
  details?: Record<string, unknown>;
  /** The outcome when the answer's status does not tell it (a 200 that reports a failure). */
  outcome?: 'success' | 'failure';
  /**
   * Work that goes on after the answer (a transfer in the background): the entry is written
   * when it ends, with its real outcome, instead of when the answer leaves.
   */
  settled?: Promise<{ outcome: 'success' | 'failure'; details: Record<string, unknown> }>;
  /** The name a not-yet-authenticated caller tried (login). */
  username?: string;
  /** Set by the auth hook when it refused the request. */
  denied?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission;
    /** Answers before the first admin exists (health and setup only). */
    beforeSetup?: boolean;
    /** Allowed while the caller must still change their password or enrol 2FA. */
    allowRestricted?: boolean;
    /** Audit action for this route, e.g. "user.create"; defaults to "METHOD /url". */
    audit?: string;
    /** The route takes a raw body of this content type (a stream or a buffer), not JSON. */
    bodyType?: string;
    /**
     * A POST that changes nothing (a computation, a preview): not written to the audit log. A
     * request whose validated body has `dryRun: true` is a preview too, on any route.
     */
    noAudit?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Set per request by the auth hook; read and fill it through auditInfo(request). */
    auditInfo: AuditInfo | null;
  }
}

/** What this request tells the audit log, created on first use. */
export function auditInfo(request: { auditInfo: AuditInfo | null }): AuditInfo {
  request.auditInfo ??= {};
  return request.auditInfo;
}
