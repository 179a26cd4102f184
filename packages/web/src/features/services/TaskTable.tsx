import type { TaskView } from '@berth/contract';
import { Badge, EmptyRow } from '../../components/ui.js';
import { age } from '../../components/time.js';
import { swarmTone } from './service-queries.js';

/** Tasks with their node, state (desired and current) and error. */
export function TaskTable({ tasks, label }: { tasks: TaskView[]; label: string }) {
  return (
    <div className="list-scroll">
      <table className="list" aria-label={label} data-testid="task-list">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Node</th>
            <th scope="col">State</th>
            <th scope="col" className="c-wide">
              Image
            </th>
            <th scope="col">Error or message</th>
          </tr>
        </thead>
        <tbody>
          {tasks.length === 0 && <EmptyRow columns={5} total={0} none="No tasks." noMatch="" />}
          {tasks.map((t) => (
            <tr key={t.id} data-testid="task-row" data-state={t.state}>
              <th scope="row">
                {t.serviceName ?? t.serviceId.slice(0, 12)}.{t.slot ?? t.nodeId?.slice(0, 6)}{' '}
                <code className="muted">{t.id.slice(0, 10)}</code>
              </th>
              <td>{t.nodeHostname ?? t.nodeId ?? <span className="muted">unassigned</span>}</td>
              <td>
                <Badge tone={swarmTone(t.state)}>{t.state}</Badge>{' '}
                {t.desiredState !== t.state && <span className="muted">→ {t.desiredState}</span>}{' '}
                <span className="muted">{age(t.statusAt)}</span>
              </td>
              <td className="c-wide">
                <code>{t.image.replace(/@sha256:[0-9a-f]+$/, '')}</code>
              </td>
              <td>{t.error ?? <span className="muted">{t.message}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
