import { randomBytes } from 'node:crypto';
import type { JournalRepository, JournalRow } from './journal-repository.js';

/** Label on the helper containers a journalled operation creates, so recovery finds them. */
export const OPERATION_LABEL = 'io.berth.operation';

/**
 * Each kind's steps, in order, and what recovery needs to know. A step names what is about to
 * be done: it is written before the engine is asked, so after a crash the entry says how far
 * the operation may have got (the step itself may or may not have happened).
 */
export interface JournalKinds {
  recreate: {
    step: 'stopping' | 'renaming' | 'creating' | 'starting' | 'removing-old';
    data: {
      /** The user's name for the container (the old one gets it back on a rollback). */
      name: string;
      /** The new container's name: `name`, unless the edit renames it. */
      newName: string;
      oldId: string;
      /** The name the old container is moved aside to while the new one takes `name`. */
      asideName: string;
      wasRunning: boolean;
      /** The environment tag the new container ends with. */
      environment: string | null;
    };
  };
  backup: {
    step: 'stopping' | 'copying' | 'writing-meta' | 'restarting';
    data: {
      volume: string;
      /** The archive and its metadata file; a backup is complete once the metadata exists. */
      archive: string;
      meta: string;
      /** Containers Berth stops (or is about to stop) for the copy, started again afterwards. */
      stopped: string[];
    };
  };
  restore: {
    step: 'creating-volume' | 'copying' | 'cleaning-up';
    data: {
      volume: string;
      backupId: string;
      target: string;
      /** Whether this restore creates the target volume (so a half-done one can be removed). */
      createdVolume: boolean;
    };
  };
}

export type JournalKind = keyof JournalKinds;
export const JOURNAL_KINDS: readonly JournalKind[] = ['recreate', 'backup', 'restore'];

export interface JournalEntry<K extends JournalKind = JournalKind> {
  id: string;
  hostId: string;
  kind: K;
  step: JournalKinds[K]['step'];
  data: JournalKinds[K]['data'];
  startedAt: string;
}

export type AnyJournalEntry = { [K in JournalKind]: JournalEntry<K> }[JournalKind];

/** One operation under way: write each step before taking it, then finish (or release). */
export class JournalOperation<K extends JournalKind> {
  constructor(
    private readonly journal: OperationJournal,
    readonly id: string,
    public data: JournalKinds[K]['data'],
  ) {}

  /** Records the step about to be taken (and, optionally, what is known now). */
  async step(
    step: JournalKinds[K]['step'],
    data: JournalKinds[K]['data'] = this.data,
  ): Promise<void> {
    this.data = data;
    await this.journal.write(this.id, step, data);
  }

  /** The operation is over, done or rolled back: nothing is left to recover. */
  finish(): Promise<void> {
    return this.journal.finish(this.id);
  }

  /** The operation failed and could not clean up: its entry stays for recovery. */
  release(): void {
    this.journal.release(this.id);
  }
}

/**
 * The operation journal. Entries of operations running in this process are "active" and never
 * handed to recovery; everything else in the table was left by a process that died (or by an
 * operation whose own rollback failed) and is recovery's to settle.
 */
export class OperationJournal {
  private readonly active = new Set<string>();

  constructor(
    private readonly repository: JournalRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async begin<K extends JournalKind>(
    kind: K,
    hostId: string,
    step: JournalKinds[K]['step'],
    data: JournalKinds[K]['data'],
  ): Promise<JournalOperation<K>> {
    const id = randomBytes(8).toString('hex');
    const at = new Date(this.now()).toISOString();
    this.active.add(id);
    await this.repository.insert({
      id,
      host_id: hostId,
      kind,
      step,
      data: JSON.stringify(data),
      started_at: at,
      updated_at: at,
    });
    return new JournalOperation<K>(this, id, data);
  }

  /** Entries no operation of this process is working on, oldest first. */
  async unfinished(hostId: string): Promise<AnyJournalEntry[]> {
    const rows = await this.repository.forHost(hostId);
    return rows.filter((r) => !this.active.has(r.id)).map(toEntry);
  }

  async write(id: string, step: string, data: unknown): Promise<void> {
    await this.repository.update(
      id,
      step,
      JSON.stringify(data),
      new Date(this.now()).toISOString(),
    );
  }

  async finish(id: string): Promise<void> {
    await this.repository.delete(id);
    this.active.delete(id);
  }

  release(id: string): void {
    this.active.delete(id);
  }
}

function toEntry(row: JournalRow): AnyJournalEntry {
  // Only Berth writes these rows, each through the typed operation of its kind.
  return {
    id: row.id,
    hostId: row.host_id,
    kind: row.kind,
    step: row.step,
    data: JSON.parse(row.data) as unknown,
    startedAt: row.started_at,
  } as AnyJournalEntry;
}
