import type { StackSummary } from '@berth/contract';
import { MoreHorizontal } from 'lucide-react';
import { Link } from 'react-router';
import { Menu, type MenuItem } from '../../components/Menu.js';
import { Badge, Button, EmptyRow } from '../../components/ui.js';
import { OPERATION_LABELS, type StackOperation } from './stack-actions.js';
import { completedCount, isManaged, SOURCE_LABELS, stackBadge } from './stack-state.js';
import { LastDeploy } from './LastDeploy.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';

export interface StackRowActions {
  canWrite: boolean;
  busy: string | null;
  onDeploy: (stack: StackSummary) => void;
  onRun: (stack: StackSummary, op: Exclude<StackOperation, 'down'>) => void;
  onDown: (stack: StackSummary) => void;
  onDelete: (stack: StackSummary) => void;
  onAdopt: (stack: StackSummary) => void;
}

function menuItems(s: StackSummary, a: StackRowActions): MenuItem[] {
  const managed = isManaged(s);
  const run = (op: Exclude<StackOperation, 'down'>): MenuItem => ({
    label: OPERATION_LABELS[op],
    onSelect: () => a.onRun(s, op),
  });
  return [
    ...(managed ? [{ label: 'Deploy…', onSelect: () => a.onDeploy(s) }] : []),
    run('start'),
    run('stop'),
    run('restart'),
    ...(managed ? [{ label: 'Down…', danger: true, onSelect: () => a.onDown(s) }] : []),
    ...(s.source === 'berth'
      ? [{ label: 'Delete…', danger: true, onSelect: () => a.onDelete(s) }]
      : []),
  ];
}

/** The stacks of the host, one row each: state, services, where its files are, last deploy. */
export function StackList({
  stacks,
  total,
  actions,
}: {
  stacks: StackSummary[];
  total: number;
  actions: StackRowActions;
}) {
  const host = useCurrentHost();
  return (
    <div className="list-scroll">
      <table className="list stack-table" aria-label="Stacks" data-testid="stack-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">State</th>
            <th scope="col">Services</th>
            <th scope="col" className="c-wide">
              Source
            </th>
            <th scope="col" className="c-wide">
              Last deploy
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {stacks.length === 0 && (
            <EmptyRow
              columns={6}
              total={total}
              none="No stacks yet: create one with New stack."
              noMatch="No stack matches the search and filter."
            />
          )}
          {stacks.map((s) => {
            const badge = stackBadge(s);
            const done = completedCount(s);
            return (
              <tr key={s.name} data-testid="stack-row" data-name={s.name}>
                <th scope="row" className="stack-name">
                  <Link to={hostPath(host, `stacks/${s.name}`)}>{s.name}</Link>
                </th>
                <td>
                  <Badge tone={badge.tone}>
                    <span data-testid="stack-state">{badge.label}</span>
                  </Badge>
                  {done > 0 && <span className="muted"> · {done} completed</span>}
                  {s.message && s.state !== 'running' && s.message !== badge.label && (
                    <div className="stack-message" data-testid="stack-message">
                      {s.message}
                    </div>
                  )}
                </td>
                <td className="c-num">{s.services.length}</td>
                <td className="c-wide">
                  {SOURCE_LABELS[s.source]}
                  {s.source === 'external' && s.adoptable && actions.canWrite && (
                    <>
                      {' '}
                      <Button
                        className="btn-small"
                        disabled={actions.busy === s.name}
                        onClick={() => actions.onAdopt(s)}
                      >
                        Adopt
                      </Button>
                    </>
                  )}
                </td>
                <td className="c-wide">
                  <LastDeploy deploy={s.lastDeploy} />
                </td>
                <td className="c-actions">
                  {actions.canWrite && (
                    <Menu
                      label={`Actions for ${s.name}`}
                      trigger={<MoreHorizontal size={16} aria-hidden />}
                      items={menuItems(s, actions)}
                      disabled={actions.busy === s.name}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
