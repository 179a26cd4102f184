import type { ComposeProject, StackPlan } from '@berth/contract';

export interface KeptPlan {
  plan: StackPlan;
  /** What the loader read for it: digest per file (null: missing). */
  reads: Record<string, string | null>;
  fingerprint: string;
  profiles: string[] | undefined;
  project: ComposeProject;
  expiresAt: number;
}

/** Plans shown to a user, kept in memory for a while so that up applies exactly what was shown. */
export class StackPlans {
  private readonly plans = new Map<string, KeptPlan>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  keep(plan: Omit<KeptPlan, 'expiresAt'>): void {
    this.sweep();
    this.plans.set(plan.plan.planId, { ...plan, expiresAt: this.now() + this.ttlMs });
  }

  /** The plan, once: an applied plan is not applied again. */
  take(planId: string): KeptPlan | undefined {
    this.sweep();
    const found = this.plans.get(planId);
    this.plans.delete(planId);
    return found;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, kept] of this.plans) if (kept.expiresAt <= now) this.plans.delete(id);
  }
}

/** The files whose digest differs between two loads (read, changed, appeared or vanished). */
export function changedFiles(
  before: Record<string, string | null>,
  after: Record<string, string | null>,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => (before[k] ?? null) !== (after[k] ?? null)).sort();
}
