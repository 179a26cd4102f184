import type { RawService } from '../../docker/swarm-types.js';

type Status = NonNullable<RawService['UpdateStatus']>;
export type RollbackKind = 'automatic' | 'manual' | 'unknown';

/** What the engine writes when it rolls back by itself (swarmkit's updater). */
const AUTOMATIC = /^update rolled back due to failure/;
const MANUAL = /^manually requested rollback/;

/**
 * Who started each rollback. The engine says so only while it runs ("manually requested
 * rollback" or "update rolled back due to failure …"); once done its message is "rollback
 * completed" for both. Berth notes the kind whenever it sees a rollback start (its own
 * rollback, a service event, a read) and answers from that note afterwards.
 */
export class RollbackLedger {
  private readonly kinds = new Map<string, RollbackKind>();

  private key(serviceId: string, status: Status): string {
    return `${serviceId}@${status.StartedAt ?? ''}`;
  }

  note(serviceId: string, status: Status | undefined): void {
    if (!status?.State.startsWith('rollback')) return;
    const message = status.Message ?? '';
    const kind = AUTOMATIC.test(message)
      ? 'automatic'
      : MANUAL.test(message)
        ? 'manual'
        : undefined;
    if (kind) this.kinds.set(this.key(serviceId, status), kind);
    if (this.kinds.size > 10_000) {
      const oldest = this.kinds.keys().next().value;
      if (oldest !== undefined) this.kinds.delete(oldest);
    }
  }

  kindOf(serviceId: string, status: Status): RollbackKind {
    this.note(serviceId, status);
    return this.kinds.get(this.key(serviceId, status)) ?? 'unknown';
  }
}
