import type { TransferResult } from '@berth/contract';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Badge, Button, ErrorNotice, formatBytes } from '../../components/ui.js';
import type { ImageTransfer, LayerProgress } from './image-transfer.js';

const TONES: Record<TransferResult['status'], 'info' | 'good' | 'bad' | 'warn'> = {
  running: 'info',
  done: 'good',
  failed: 'bad',
  cancelled: 'warn',
};

function LayerRow({ layer }: { layer: LayerProgress }) {
  const { current, total } = layer;
  return (
    <li>
      <code>{layer.layer}</code> {layer.status}
      {total !== null && total > 0 && (
        <span className="volume-progress">
          <progress
            value={Math.min(current ?? 0, total)}
            max={total}
            aria-label={`Layer ${layer.layer}: ${layer.status}`}
          />
          <span className="muted">
            {formatBytes(current ?? 0)} / {formatBytes(total)}
          </span>
        </span>
      )}
    </li>
  );
}

/** A pull's or push's layers, its other progress lines, the outcome and, while it runs, Cancel. */
export function TransferProgress({ kind, state }: { kind: 'pull' | 'push'; state: ImageTransfer }) {
  const { transfer, layers } = state;
  // A failure is said once, in the outcome line: the engine's error line and the server's
  // closing "failed: …" line repeat it word for word.
  const failure = transfer?.status === 'failed' ? transfer.error : undefined;
  const messages = failure
    ? state.messages.filter((m) => m !== failure && m !== `failed: ${failure}`)
    : state.messages;
  return (
    <>
      <ErrorNotice error={state.error} />
      {layers.length > 0 && (
        <ul
          className="plain transfer-layers"
          aria-label={`Layers of the ${kind}`}
          data-testid={`${kind}-layers`}
        >
          {layers.map((layer) => (
            <LayerRow key={layer.layer} layer={layer} />
          ))}
        </ul>
      )}
      {messages.length > 0 && (
        <pre className="progress" data-testid={`${kind}-progress`}>
          <code>{messages.join('\n')}</code>
        </pre>
      )}
      {transfer && (
        <p className="transfer-result" role="status" data-testid={`${kind}-result`}>
          <Badge tone={TONES[transfer.status]}>{transfer.status}</Badge>{' '}
          <code>{transfer.image}</code>
          {transfer.digest && (
            <>
              {' '}
              <span className="muted">digest</span>{' '}
              <code data-testid={`${kind}-digest`}>{transfer.digest}</code>
            </>
          )}
          {failure && (
            <>
              {' '}
              <span data-testid={`${kind}-error`}>{failure}</span>
            </>
          )}
          {transfer.status === 'running' && (
            <>
              {' '}
              <Button
                className="btn-small"
                variant="danger"
                disabled={state.cancelling}
                aria-label={`Cancel the ${kind} of ${transfer.image}`}
                onClick={() => void state.cancel()}
              >
                {state.cancelling ? 'Cancelling…' : 'Cancel'}
              </Button>
            </>
          )}
        </p>
      )}
      <CommandBlock command={transfer?.cli} />
    </>
  );
}
