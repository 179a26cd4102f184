import { CommandBlock } from '../../components/CommandBlock.js';
import { ErrorNotice } from '../../components/ui.js';
import type { StackActions } from './stack-actions.js';

/** The last action's outcome (failures explained) and its compose command, or its error. */
export function StackOutcomeNotice({ actions }: { actions: StackActions }) {
  const { outcome, error } = actions;
  return (
    <>
      <ErrorNotice error={error} />
      {outcome && (
        <div
          className={`notice${outcome.ok ? '' : ' notice-bad'}`}
          role="status"
          data-testid="stack-outcome"
        >
          {outcome.message}
          {outcome.failures.length > 0 && (
            <ul>
              {outcome.failures.map((f) => (
                <li key={f.service}>
                  <strong>{f.service}</strong>: {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {outcome && <CommandBlock command={outcome.cli} />}
    </>
  );
}
