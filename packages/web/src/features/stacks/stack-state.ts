import type { StackServiceState, StackSummary } from '@berth/contract';

type Tone = 'good' | 'warn' | 'bad' | 'neutral' | 'info';

/** A stack's state as its badge says it: "running", "2/3 running", "failed", "not deployed". */
export function stackBadge(stack: Pick<StackSummary, 'state' | 'services'>): {
  label: string;
  tone: Tone;
} {
  // One-shots that finished are done, not down: they count neither way.
  const lasting = stack.services.filter((s) => s.state !== 'completed');
  const running = lasting.filter((s) => s.state === 'running').length;
  switch (stack.state) {
    case 'running':
      return { label: 'running', tone: 'good' };
    case 'partial':
      return { label: `${running}/${lasting.length} running`, tone: 'warn' };
    case 'failed':
      return { label: 'failed', tone: 'bad' };
    case 'stopped':
      return { label: 'stopped', tone: 'neutral' };
    case 'empty':
      return { label: 'not deployed', tone: 'neutral' };
  }
}

/** A service's state: completed one-shots read as done (good), not as stopped or failed. */
export function serviceTone(state: StackServiceState['state']): Tone {
  if (state === 'running' || state === 'completed') return 'good';
  if (state === 'partial' || state === 'restarting') return 'warn';
  if (state === 'failed') return 'bad';
  return 'neutral';
}

/** How many one-shot services have finished their work. */
export const completedCount = (stack: Pick<StackSummary, 'services'>): number =>
  stack.services.filter((s) => s.state === 'completed').length;

export const SOURCE_LABELS: Record<StackSummary['source'], string> = {
  berth: 'Berth',
  adopted: 'compose CLI, adopted',
  external: 'compose CLI (read-only)',
};

/** Berth manages its files (it can plan, deploy and edit them). */
export const isManaged = (stack: Pick<StackSummary, 'source'>): boolean =>
  stack.source !== 'external';

/** A colour slot per service, stable for the order the stack lists them. */
export function serviceColours(services: readonly string[]): Map<string, number> {
  return new Map(services.map((s, i) => [s, i % SERVICE_COLOURS]));
}
export const SERVICE_COLOURS = 8;
