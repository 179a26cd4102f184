import { Button } from '../../components/ui.js';
import { StopCountdown } from './StopCountdown.js';
import type { ActionProgress } from './useActionProgress.js';

/** Each container's result as it lands, and the count so far. */
export function BulkProgress({
  progress,
  onClose,
}: {
  progress: Map<string, ActionProgress>;
  onClose: () => void;
}) {
  if (progress.size < 2) return null;
  const items = [...progress.entries()];
  const count = (phase: ActionProgress['phase']): number =>
    items.filter(([, p]) => p.phase === phase).length;
  const running = count('running');
  return (
    <div className="notice" role="status" data-testid="bulk-progress">
      <p>
        {count('done')} done, {count('failed')} failed
        {running > 0 ? `, ${running} still running` : ''}{' '}
        {running === 0 && (
          <Button className="btn-small" onClick={onClose}>
            Dismiss
          </Button>
        )}
      </p>
      <ul>
        {items.map(([id, p]) => (
          <li key={id} data-testid="bulk-item" data-phase={p.phase}>
            {p.name}:{' '}
            {p.phase === 'running'
              ? p.message
              : p.phase === 'done'
                ? `${p.action} done`
                : `${p.action} failed: ${p.message}`}
            {p.phase === 'running' && p.killAt !== undefined && <StopCountdown killAt={p.killAt} />}
          </li>
        ))}
      </ul>
    </div>
  );
}
