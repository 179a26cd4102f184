import type { AgentStatus } from '@berth/contract';
import { age, longTime } from '../../components/time.js';
import { AGENT_STATE, connectionFact, policySummary } from './agent-view.js';
import { Badge } from '../../components/ui.js';

const titleOf = (iso: string | null): string | undefined =>
  iso ? longTime.format(new Date(iso)) : undefined;

/** The agent's state as a badge, coloured as reachable / unreachable are. */
export function AgentStateBadge({ agent }: { agent: AgentStatus }) {
  const { label, tone } = AGENT_STATE[agent.state];
  return (
    <span data-testid="agent-state" data-state={agent.state}>
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
}

/**
 * What Berth knows of an agent host's agent: its key, pairing, connection, the machine it runs
 * on and what it refuses. The policy is the agent's own (its flags or config file): read-only.
 */
export function AgentFacts({ agent }: { agent: AgentStatus }) {
  const [connectionLabel, connection] = connectionFact(agent);
  const policy = agent.policy;
  return (
    <section className="agent-facts" aria-label="Agent" data-testid="agent-facts">
      <h3>Agent</h3>
      <dl className="facts">
        <dt>Key</dt>
        <dd>
          {agent.keyFingerprint ? (
            <code className="fingerprint" data-testid="agent-key">
              {agent.keyFingerprint}
            </code>
          ) : (
            <span data-testid="agent-key">none yet (not paired)</span>
          )}
          {agent.keyRotatedAt && (
            <span className="muted" title={titleOf(agent.keyRotatedAt)}>
              {' '}
              (rotated {age(agent.keyRotatedAt)})
            </span>
          )}
        </dd>
        <dt>Paired</dt>
        <dd title={titleOf(agent.pairedAt)}>{agent.pairedAt ? age(agent.pairedAt) : 'not yet'}</dd>
        <dt>{connectionLabel}</dt>
        <dd
          title={titleOf(agent.connectedSince ?? agent.lastConnectedAt)}
          data-testid="agent-connection"
        >
          {connection}
        </dd>
        <dt>From</dt>
        <dd>{agent.remoteAddress ? <code>{agent.remoteAddress}</code> : '—'}</dd>
        <dt>Machine</dt>
        <dd data-testid="agent-machine">
          {agent.hostname ?? '—'}
          {agent.version && <span className="muted"> · berth agent {agent.version}</span>}
        </dd>
        <dt>Its engine</dt>
        <dd>{agent.engine ? <code>{agent.engine}</code> : '—'}</dd>
        <dt>Policy</dt>
        <dd data-testid="agent-policy">
          {policySummary(policy)}
          {policy && policy.deniedPaths.length > 0 && (
            <ul className="denied-paths">
              {policy.deniedPaths.map((path) => (
                <li key={path}>
                  <code>{path}</code>
                </li>
              ))}
            </ul>
          )}
          <small className="hint">
            Set on the agent&apos;s machine (<code>--read-only</code>, <code>--deny</code>,{' '}
            <code>--config</code>); Berth only shows it.
          </small>
        </dd>
      </dl>
    </section>
  );
}
