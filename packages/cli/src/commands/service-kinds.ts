import { ServiceSummary, type TaskView } from '@berth/contract';
import { age } from '../core/output.js';
import { kind, orGone, type AnyKind } from './kinds.js';
import { idStartsWith } from './selectors.js';

const TASK_COLOUR = {
  running: 'green',
  failed: 'red',
  rejected: 'red',
  shutdown: 'yellow',
} as const;

/** Swarm services and tasks (the host is a manager), as `docker service ls` / `service ps`. */
const services = kind<ServiceSummary>({
  plural: 'services',
  singular: 'service',
  aliases: ['service', 'svc'],
  summary: 'List swarm services (docker service ls)',
  listKey: 'services',
  hostScoped: true,
  columns: [
    { header: 'NAME', value: (s) => s.name, shrink: true },
    { header: 'MODE', value: (s) => s.mode },
    { header: 'REPLICAS', value: (s) => `${s.running}/${s.desired}` },
    { header: 'IMAGE', value: (s) => s.image.replace(/@sha256:[0-9a-f]+$/, ''), shrink: true },
    {
      header: 'PORTS',
      value: (s) =>
        s.ports.map((p) => `${p.published ?? ''}:${p.target}/${p.protocol}`).join(',') || '-',
    },
    { header: 'UPDATE', value: (s) => s.update?.state ?? '-' },
    { header: 'STACK', value: (s) => s.stack ?? '-', wide: true },
    { header: 'ID', value: (s) => s.id.slice(0, 12), wide: true },
    { header: 'AGE', value: (s) => age(s.createdAt), wide: true },
  ],
  name: (s) => s.name,
  matches: (s, ref) => s.name === ref || idStartsWith(s.id, ref),
  labels: (s) => s.labels,
  list: async (session, host) => {
    const answer = await session.client.services.list({ params: { host } });
    return { answer, rows: answer.services, stale: null };
  },
  watch: {
    named: (message) =>
      message.type === 'swarm-change' && message.kind === 'service' ? message.id : null,
    key: (s) => s.id,
    fetch: async (session, host, id) => {
      const detail = await orGone(session.client.services.get({ params: { host, id } }));
      return detail ? ServiceSummary.parse(detail) : null;
    },
  },
});

const tasks = kind<TaskView>({
  plural: 'tasks',
  singular: 'task',
  aliases: ['task'],
  summary: 'List swarm tasks of every service (docker service ps)',
  listKey: 'tasks',
  hostScoped: true,
  columns: [
    {
      header: 'NAME',
      value: (t) => `${t.serviceName ?? t.serviceId.slice(0, 12)}.${t.slot ?? t.nodeId ?? ''}`,
    },
    { header: 'NODE', value: (t) => t.nodeHostname ?? t.nodeId ?? '-' },
    { header: 'DESIRED', value: (t) => t.desiredState },
    {
      header: 'STATE',
      value: (t) => `${t.state} ${age(t.statusAt)}`,
      colour: (t) => TASK_COLOUR[t.state as keyof typeof TASK_COLOUR],
    },
    { header: 'ERROR', value: (t) => t.error ?? '', shrink: true },
    { header: 'IMAGE', value: (t) => t.image.replace(/@sha256:[0-9a-f]+$/, ''), wide: true },
    { header: 'ID', value: (t) => t.id.slice(0, 12), wide: true },
  ],
  name: (t) => t.id,
  matches: (t, ref) => idStartsWith(t.id, ref) || t.serviceName === ref,
  list: async (session, host) => {
    const answer = await session.client.tasks.list({ params: { host }, query: {} });
    return { answer, rows: answer.tasks, stale: null };
  },
});

export const serviceKinds: AnyKind[] = [services, tasks];
