import type { AuditOutcome } from '@berth/contract';

/** Who did something, as far as the request tells. */
export interface AuditActor {
  userId: string | null;
  username: string | null;
  tokenId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditRecord {
  actor: AuditActor;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  status?: number | null;
  details?: Record<string, unknown> | null;
}

/** Where the audit hook writes an entry per change and per refusal: the audit module. */
export interface AuditSink {
  record(record: AuditRecord): Promise<void>;
}

/** Names what a host-scoped route acts on, next to its id, for the entry's target. */
export interface AuditSubjects {
  /** `kind` is the route's collection ("containers"); null when the host does not know `ref`. */
  label(host: string, kind: string, ref: string): string | null;
}
