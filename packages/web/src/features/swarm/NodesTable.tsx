import type { NodeUpdate, SwarmNode } from '@berth/contract';
import { MoreHorizontal } from 'lucide-react';
import { Menu, type MenuItem } from '../../components/Menu.js';
import { Badge, EmptyRow, formatBytes } from '../../components/ui.js';

/** A change of one node from its row's menu (the node's version goes with it). */
export type NodeAction =
  | { kind: 'update'; node: SwarmNode; change: Omit<NodeUpdate, 'version'>; label: string }
  | { kind: 'labels'; node: SwarmNode }
  | { kind: 'remove'; node: SwarmNode };

function statusTone(status: string): 'good' | 'warn' | 'bad' | 'neutral' {
  if (status === 'ready') return 'good';
  if (status === 'down' || status === 'disconnected') return 'bad';
  return 'warn';
}

function availabilityTone(availability: string): 'good' | 'warn' | 'neutral' {
  return availability === 'active' ? 'good' : 'warn';
}

/** Operators drain, pause, activate and label; admins also promote, demote and remove. */
function actionsOf(
  node: SwarmNode,
  canAdmin: boolean,
  act: (action: NodeAction) => void,
): MenuItem[] {
  const update = (label: string, change: Omit<NodeUpdate, 'version'>): MenuItem => ({
    label,
    onSelect: () => act({ kind: 'update', node, change, label }),
  });
  const role = canAdmin
    ? [
        node.role === 'worker'
          ? update('Promote to manager', { role: 'manager' })
          : update('Demote to worker', { role: 'worker' }),
      ]
    : [];
  return [
    ...role,
    ...(node.availability !== 'active' ? [update('Activate', { availability: 'active' })] : []),
    ...(node.availability !== 'pause' ? [update('Pause', { availability: 'pause' })] : []),
    ...(node.availability !== 'drain' ? [update('Drain', { availability: 'drain' })] : []),
    { label: 'Edit labels…', onSelect: () => act({ kind: 'labels', node }) },
    ...(canAdmin
      ? [{ label: 'Remove…', danger: true, onSelect: () => act({ kind: 'remove', node }) }]
      : []),
  ];
}

/** The swarm's nodes, managers first; operators and admins change each from its menu. */
export function NodesTable({
  nodes,
  canWrite,
  canAdmin,
  onAction,
}: {
  nodes: SwarmNode[];
  canWrite: boolean;
  canAdmin: boolean;
  onAction: (action: NodeAction) => void;
}) {
  return (
    <div className="list-scroll swarm-nodes">
      <table className="list" aria-label="Nodes" data-testid="node-list">
        <thead>
          <tr>
            <th scope="col">Hostname</th>
            <th scope="col">Role</th>
            <th scope="col">Availability</th>
            <th scope="col">Status</th>
            <th scope="col" className="c-wide">
              Engine
            </th>
            <th scope="col" className="c-wide">
              Resources
            </th>
            <th scope="col" className="c-wide">
              Labels
            </th>
            <th scope="col">Tasks</th>
            {canWrite && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {nodes.length === 0 && (
            <EmptyRow columns={canWrite ? 9 : 8} total={0} none="No nodes." noMatch="" />
          )}
          {nodes.map((n) => (
            <tr key={n.id} data-testid="node-row" data-hostname={n.hostname}>
              <th scope="row">
                {n.hostname} {n.self && <Badge tone="info">this host</Badge>}
                <div className="muted">
                  <code>{n.id.slice(0, 12)}</code> {n.addr}
                </div>
              </th>
              <td className="c-role">
                {n.role}
                {n.leader && (
                  <>
                    {' '}
                    <Badge tone="info">leader</Badge>
                  </>
                )}
                {n.role === 'manager' && !n.leader && n.reachability && (
                  <div className="muted">{n.reachability}</div>
                )}
              </td>
              <td>
                <Badge tone={availabilityTone(n.availability)}>{n.availability}</Badge>
              </td>
              <td>
                <Badge tone={statusTone(n.status)}>{n.status}</Badge>
                {n.message && n.status !== 'ready' && <div className="muted">{n.message}</div>}
              </td>
              <td className="c-wide">
                {n.engineVersion}
                <div className="muted">
                  {n.platform.os}/{n.platform.architecture}
                </div>
              </td>
              <td className="c-wide">
                {(n.resources.nanoCpus / 1e9).toFixed(0)} CPU,{' '}
                {formatBytes(n.resources.memoryBytes)}
              </td>
              <td className="c-wide" data-testid="node-labels">
                {Object.entries(n.labels).length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  Object.entries(n.labels).map(([k, v]) => (
                    <div key={k}>
                      <code>
                        {k}={v}
                      </code>
                    </div>
                  ))
                )}
              </td>
              <td>{n.tasksRunning}</td>
              {canWrite && (
                <td className="c-actions">
                  <Menu
                    label={`Actions for ${n.hostname}`}
                    trigger={<MoreHorizontal size={16} aria-hidden />}
                    items={actionsOf(n, canAdmin, onAction)}
                  />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
