import type { SwarmNode } from '@berth/contract';
import { useState } from 'react';
import { ApiError, client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { FormDialog } from '../../components/FormDialog.js';
import type { SwarmOutcome } from './SwarmLeave.js';

function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** "k=v" per line into labels; a line without "=" is a label with an empty value. */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const at = line.indexOf('=');
    labels[at < 0 ? line : line.slice(0, at).trim()] = at < 0 ? '' : line.slice(at + 1).trim();
  }
  return labels;
}

/** The whole set of a node's labels, one `key=value` a line. */
export function NodeLabelsDialog({
  node,
  onClose,
  onDone,
}: {
  node: SwarmNode;
  onClose: () => void;
  onDone: (outcome: SwarmOutcome) => void;
}) {
  const host = useCurrentHost();
  const [text, setText] = useState(labelsText(node.labels));
  const [failure, setFailure] = useState<unknown>(null);
  const [error, setError] = useState<string | undefined>();
  const save = async (): Promise<void> => {
    setFailure(null);
    setError(undefined);
    try {
      const done = await client.nodes.update({
        params: { host, id: node.id },
        body: { version: node.version, labels: parseLabels(text) },
      });
      onDone({ message: `Labels of ${node.hostname} saved`, cli: done.cli });
    } catch (err) {
      if (err instanceof ApiError)
        setError(Object.entries(err.fieldErrors()).find(([k]) => k.startsWith('labels'))?.[1]);
      setFailure(err);
    }
  };
  return (
    <FormDialog
      title={`Labels of ${node.hostname}`}
      description="Placement constraints match them: node.labels.<key>==<value>"
      submitLabel="Save labels"
      failure={failure}
      onSubmit={() => void save()}
      onClose={onClose}
    >
      <div className="field">
        <label htmlFor="node-labels">Labels, one key=value a line</label>
        <textarea
          id="node-labels"
          rows={6}
          value={text}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        {error && (
          <small className="field-error" role="alert">
            {error}
          </small>
        )}
      </div>
    </FormDialog>
  );
}

/** Remove a node: the engine refuses one that is up unless forced, which the dialog explains. */
export function NodeRemoveDialog({
  node,
  onClose,
  onDone,
  onError,
}: {
  node: SwarmNode;
  onClose: () => void;
  onDone: (outcome: SwarmOutcome) => void;
  onError: (error: unknown) => void;
}) {
  const host = useCurrentHost();
  const up = node.status !== 'down';
  const remove = async (): Promise<void> => {
    onClose();
    try {
      const done = await client.nodes.remove({
        params: { host, id: node.id },
        query: { force: up ? 'true' : 'false' },
      });
      onDone({ message: `Removed node ${node.hostname}`, cli: done.cli });
    } catch (err) {
      onError(err);
    }
  };
  return (
    <ConfirmDialog
      open
      title={`Remove ${node.hostname}?`}
      confirmLabel={up ? 'Force removal' : 'Remove node'}
      confirmDisabled={node.role === 'manager'}
      onConfirm={() => void remove()}
      onCancel={onClose}
    >
      {node.role === 'manager' ? (
        <p>
          <strong>{node.hostname}</strong> is a manager: demote it to a worker first.
        </p>
      ) : up ? (
        <p>
          <strong>{node.hostname}</strong> is {node.status}: removing it now forces it out while its
          engine still thinks it is in the swarm. Draining it first moves its tasks away; running{' '}
          <code>docker swarm leave</code> on it lets it go cleanly.
        </p>
      ) : (
        <p>
          <strong>{node.hostname}</strong> is down: it is taken off the node list. It can join again
          later with a token.
        </p>
      )}
    </ConfirmDialog>
  );
}
