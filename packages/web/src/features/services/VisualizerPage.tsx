import type { SwarmNode, TaskView } from '@berth/contract';
import type { CSSProperties } from 'react';
import { useState } from 'react';
import { useCurrentHost } from '../../app/host-paths.js';
import { Badge, ErrorNotice, Page } from '../../components/ui.js';
import './services.css';
import { swarmTone, useAllTasks, useServices } from './service-queries.js';
import { serviceHue } from './service-text.js';
import { useNodes } from '../swarm/swarm-queries.js';

/** The swarm at a glance: a column per node, a card per task coloured by its service, live. */
export default function VisualizerPage() {
  const host = useCurrentHost();
  const tasks = useAllTasks(host);
  const services = useServices(host);
  const swarmNodes = useNodes(host, true);
  const [filter, setFilter] = useState('');
  const stacks = [
    ...new Set((services.data ?? []).map((s) => s.stack).filter((s) => s !== null)),
  ].sort();
  const stackOf = new Map((services.data ?? []).map((s) => [s.id, s.stack]));
  const shown = (tasks.data ?? []).filter(
    (t) =>
      t.desiredState === 'running' &&
      (!filter ||
        (filter.startsWith('stack:')
          ? stackOf.get(t.serviceId) === filter.slice(6)
          : t.serviceId === filter)),
  );
  // Every node of the swarm is a column, an empty or drained one too; then tasks not placed.
  const nodes = new Map<string, { name: string; node: SwarmNode | null; tasks: TaskView[] }>();
  for (const n of swarmNodes.data ?? []) nodes.set(n.id, { name: n.hostname, node: n, tasks: [] });
  for (const t of shown) {
    const key = t.nodeId ?? 'unassigned';
    const node = nodes.get(key) ?? {
      name: t.nodeHostname ?? (t.nodeId ? t.nodeId.slice(0, 12) : 'Not placed yet'),
      node: null,
      tasks: [],
    };
    node.tasks.push(t);
    nodes.set(key, node);
  }
  return (
    <Page title="Visualizer">
      <div className="filters" role="search">
        <select
          aria-label="Service or stack"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        >
          <option value="">Every service</option>
          {(services.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
          {stacks.map((s) => (
            <option key={s} value={`stack:${s}`}>
              stack {s}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={tasks.error} />
      {shown.length === 0 && !tasks.error && (
        <p className="muted">{tasks.isLoading ? 'Loading…' : 'No tasks running.'}</p>
      )}
      <div className="viz" data-testid="visualizer">
        {[...nodes.entries()].map(([id, node]) => (
          <section
            key={id}
            className="viz-node"
            aria-label={`Node ${node.name}`}
            data-testid="viz-node"
          >
            <h2>{node.name}</h2>
            {node.node && (
              <p className="viz-node-facts">
                <span className="muted">{node.node.role}</span>{' '}
                <Badge tone={node.node.status === 'ready' ? 'good' : 'bad'}>
                  {node.node.status}
                </Badge>
                {node.node.availability !== 'active' && (
                  <>
                    {' '}
                    <Badge tone="warn">{node.node.availability}</Badge>
                  </>
                )}
              </p>
            )}
            {node.tasks.length === 0 && <p className="muted">No tasks</p>}
            <ul className="plain">
              {node.tasks.map((t) => (
                <li
                  key={t.id}
                  className="viz-task"
                  data-testid="viz-task"
                  data-state={t.state}
                  style={{ '--svc-hue': serviceHue(t.serviceName ?? t.serviceId) } as CSSProperties}
                >
                  <strong>
                    {t.serviceName ?? t.serviceId.slice(0, 12)}
                    {t.slot !== null ? `.${t.slot}` : ''}
                  </strong>
                  <Badge tone={swarmTone(t.state)}>{t.state}</Badge>{' '}
                  <code className="muted">
                    {t.image
                      .replace(/@sha256:[0-9a-f]+$/, '')
                      .split('/')
                      .pop()}
                  </code>
                  {t.error && <div className="field-error">{t.error}</div>}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Page>
  );
}
