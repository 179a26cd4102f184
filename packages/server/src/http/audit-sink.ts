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
