import type { JoinTokens as Tokens, NodeRole } from '@berth/contract';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Button, Card, ErrorNotice } from '../../components/ui.js';
import type { SwarmOutcome } from './SwarmLeave.js';

const ROLES: NodeRole[] = ['worker', 'manager'];

/**
 * The join tokens (admins): masked until revealed, which is audited; once revealed, the token
 * and the `docker swarm join` command ready to copy. Rotating one makes the old one useless.
 */
export function JoinTokens({ onDone }: { onDone: (outcome: SwarmOutcome) => void }) {
  const host = useCurrentHost();
  const [tokens, setTokens] = useState<Tokens | null>(null);
  const [rotating, setRotating] = useState<NodeRole | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const reveal = async (): Promise<void> => {
    setFailure(null);
    try {
      setTokens(await client.swarm.joinTokens({ params: { host } }));
    } catch (err) {
      setFailure(err);
    }
  };
  const rotate = async (role: NodeRole): Promise<void> => {
    setRotating(null);
    setFailure(null);
    try {
      const done = await client.swarm.rotateJoinToken({ params: { host }, body: { role } });
      if (tokens) setTokens(done.tokens);
      onDone({ message: `The ${role} join token was replaced`, cli: done.cli });
    } catch (err) {
      setFailure(err);
    }
  };
  return (
    <Card
      title="Join tokens"
      actions={
        tokens ? (
          <Button onClick={() => setTokens(null)}>Hide</Button>
        ) : (
          <Button onClick={() => void reveal()}>Reveal</Button>
        )
      }
    >
      <p className="muted">
        Anyone with a token can join an engine to this swarm: a manager token gives it control of
        the whole cluster. Revealing them is recorded in the audit log.
      </p>
      <ErrorNotice error={failure} />
      <dl className="facts join-tokens" data-testid="join-tokens">
        {ROLES.map((role) => (
          <div key={role} className="join-token">
            <dt>{role === 'worker' ? 'Worker' : 'Manager'}</dt>
            <dd>
              <code data-testid={`token-${role}`}>
                {tokens ? tokens[role] : 'SWMTKN-1-••••••••••••'}
              </code>{' '}
              <Button className="btn-small" onClick={() => setRotating(role)}>
                Rotate…
              </Button>
              {tokens && (
                <figure className="command">
                  <figcaption>Run on the engine that joins as a {role}</figcaption>
                  <pre>
                    <code data-testid={`join-command-${role}`}>{tokens.commands[role]}</code>
                  </pre>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => void navigator.clipboard.writeText(tokens.commands[role])}
                  >
                    Copy
                  </button>
                </figure>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <ConfirmDialog
        open={rotating !== null}
        title={`Rotate the ${rotating ?? ''} token?`}
        confirmLabel="Rotate token"
        onConfirm={() => rotating && void rotate(rotating)}
        onCancel={() => setRotating(null)}
      >
        <p>
          A new {rotating} token replaces the current one: the old token no longer joins an engine.
          Nodes that joined already stay in the swarm.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
