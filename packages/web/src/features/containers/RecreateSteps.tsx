import { useEffect, useState } from 'react';
import { onProgress } from '../../api/live.js';

/** The steps of a recreate, in the order the server takes (and reports) them. */
const STEPS = [
  ['stopping', 'Stop the container'],
  ['renaming', 'Set it aside under another name'],
  ['creating', 'Create the new container'],
  ['starting', 'Start it and check that it stays up'],
  ['removing-old', 'Remove the old container'],
] as const;
type Step = (typeof STEPS)[number][0];

/**
 * A recreate under way, step by step as the server reports them (its progress on the events
 * stream). Until the first report the first step is shown as the current one.
 */
export function RecreateSteps({ name }: { name: string }) {
  const [current, setCurrent] = useState<Step>('stopping');
  useEffect(
    () =>
      onProgress((message) => {
        if (message.operation !== 'recreate' || message.subject !== name) return;
        const step = STEPS.find(([s]) => s === message.status);
        if (step) setCurrent(step[0]);
      }),
    [name],
  );
  const at = STEPS.findIndex(([s]) => s === current);
  return (
    <ol className="recreate-steps" aria-label="Recreate steps" data-testid="recreate-steps">
      {STEPS.map(([step, label], index) => (
        <li
          key={step}
          data-step={step}
          data-state={index < at ? 'done' : index === at ? 'current' : 'next'}
          aria-current={index === at ? 'step' : undefined}
        >
          {label}
          {index === at && '…'}
        </li>
      ))}
    </ol>
  );
}
