import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { SYSTEM_ACTOR, type AuditService } from '../audit/audit-service.js';
import type {
  AnyJournalEntry,
  JournalEntry,
  JournalKind,
  OperationJournal,
} from './operation-journal.js';

/** What recovery did with one entry: finished the operation or rolled it back. */
export interface RecoveryResult {
  outcome: 'finished' | 'rolled-back';
  /** What the audit entry names (the container or volume). */
  target: string;
  details?: Record<string, unknown>;
}

/**
 * Settles one unfinished operation from the engine's real state. Must be idempotent: a crash
 * during recovery leaves the entry in place and the next start runs it again.
 */
export type Recoverer<K extends JournalKind> = (
  host: EngineHost,
  entry: JournalEntry<K>,
) => Promise<RecoveryResult>;

export type Recoverers = { [K in JournalKind]: Recoverer<K> };

/**
 * At each host's first sync (at start, or when a host unreachable at start comes back) and at
 * each resync after a reconnect, finishes or rolls back every operation a dead process left
 * in the journal, and audits what it did.
 */
export class JournalRecovery {
  private readonly passes = new Map<string, Promise<void>>();
  private readonly unsubscribes: (() => void)[] = [];

  constructor(
    private readonly journal: OperationJournal,
    private readonly hosts: EngineHosts,
    private readonly recoverers: Recoverers,
    private readonly audit: AuditService,
    private readonly logger: Logger,
  ) {}

  /** Follows every host, those added later too (a removed one is let go). */
  start(): void {
    this.unsubscribes.push(
      this.hosts.eachHost((host) => {
        let first = true;
        const run = (): void => {
          void this.schedule(host, first);
          first = false;
        };
        const off = host.state.onSynced(run);
        if (host.state.status.reachable) run();
        return off;
      }),
    );
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  /** Runs one pass for the host after any pass already under way; resolves when it is done. */
  schedule(host: EngineHost, announce = false): Promise<void> {
    const previous = this.passes.get(host.id) ?? Promise.resolve();
    const next = previous.then(() => this.pass(host, announce));
    this.passes.set(host.id, next);
    return next;
  }

  private async pass(host: EngineHost, announce: boolean): Promise<void> {
    let entries: AnyJournalEntry[];
    try {
      entries = await this.journal.unfinished(host.id);
    } catch (err) {
      this.logger.error({ host: host.id, err: errorMessage(err) }, 'operation journal unreadable');
      return;
    }
    let recovered = 0;
    let failed = 0;
    for (const entry of entries) {
      if (await this.settle(host, entry)) recovered += 1;
      else failed += 1;
    }
    if (announce || entries.length > 0)
      this.logger.info({ host: host.id, recovered, failed }, 'operation journal recovered');
  }

  private async settle(host: EngineHost, entry: AnyJournalEntry): Promise<boolean> {
    const base = { kind: entry.kind, step: entry.step, startedAt: entry.startedAt };
    try {
      const result = await this.recover(host, entry);
      await this.journal.finish(entry.id);
      this.logger.warn(
        { host: host.id, ...base, outcome: result.outcome, target: result.target },
        'an operation cut short by a stop of Berth was settled',
      );
      await this.audit.record({
        actor: SYSTEM_ACTOR,
        action: 'operation.recover',
        target: `${host.id}/${result.target}`,
        outcome: 'success',
        details: { ...base, outcome: result.outcome, ...result.details },
      });
      return true;
    } catch (err) {
      const error = errorMessage(err);
      this.logger.error({ host: host.id, ...base, err: error }, 'could not settle an operation');
      // AuditService logs a failure to write before it rethrows; the entry stays either way.
      await this.audit
        .record({
          actor: SYSTEM_ACTOR,
          action: 'operation.recover',
          target: host.id,
          outcome: 'failure',
          details: { ...base, error },
        })
        .catch(() => undefined);
      return false;
    }
  }

  private recover(host: EngineHost, entry: AnyJournalEntry): Promise<RecoveryResult> {
    switch (entry.kind) {
      case 'recreate':
        return this.recoverers.recreate(host, entry);
      case 'backup':
        return this.recoverers.backup(host, entry);
      case 'restore':
        return this.recoverers.restore(host, entry);
    }
  }
}
