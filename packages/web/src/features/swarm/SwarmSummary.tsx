import type { SwarmView } from '@berth/contract';
import { Badge, Card } from '../../components/ui.js';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The quorum said in plain words: how many managers may still be lost. */
export function quorumText(swarm: SwarmView): string {
  const q = swarm.quorum;
  if (!q) return '';
  if (q.reachable < q.needed) return 'lost';
  if (q.canLose === 0) return `${q.reachable} of ${q.managers} reachable; no manager may be lost`;
  return `${q.reachable} of ${q.managers} reachable; ${q.canLose === 1 ? 'one manager' : `${q.canLose} managers`} may be lost`;
}

/** The cluster this manager is in: identity, counts, quorum (with its warning). */
export function SwarmSummary({ swarm }: { swarm: SwarmView }) {
  const c = swarm.cluster;
  return (
    <Card title="Cluster">
      {swarm.quorum?.warning && (
        <p className="notice notice-warn" role="status" data-testid="quorum-warning">
          {swarm.quorum.warning}
        </p>
      )}
      <dl className="facts" data-testid="swarm-facts">
        <dt>State</dt>
        <dd>
          <Badge tone={swarm.state === 'active' ? 'good' : 'warn'}>{swarm.state}</Badge>{' '}
          {swarm.role === 'manager' ? 'this host is a manager' : 'this host is a worker'}
        </dd>
        {c && (
          <>
            <dt>Cluster</dt>
            <dd>
              {c.name} <code className="muted">{c.id}</code>
            </dd>
          </>
        )}
        <dt>This node</dt>
        <dd>
          <code>{swarm.nodeId}</code>
          {swarm.nodeAddr && <span className="muted"> at {swarm.nodeAddr}</span>}
        </dd>
        {swarm.nodes !== null && (
          <>
            <dt>Nodes</dt>
            <dd>
              {swarm.nodes} ({swarm.managers ?? 0} {swarm.managers === 1 ? 'manager' : 'managers'})
            </dd>
          </>
        )}
        {swarm.quorum && (
          <>
            <dt>Quorum</dt>
            <dd>{quorumText(swarm)}</dd>
          </>
        )}
        {c && (
          <>
            <dt>Address pools</dt>
            <dd>
              {c.defaultAddrPool.join(', ') || 'default'}
              {c.subnetSize !== null && <span className="muted"> (/{c.subnetSize} each)</span>}
            </dd>
            <dt>Created</dt>
            <dd>
              <time dateTime={c.createdAt}>{when.format(new Date(c.createdAt))}</time>
            </dd>
          </>
        )}
      </dl>
    </Card>
  );
}
