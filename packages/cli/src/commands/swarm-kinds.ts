import type { SwarmNode } from '@berth/contract';
import { age, type Column } from '../core/output.js';
import { kind, type AnyKind } from './kinds.js';
import { idStartsWith } from './selectors.js';

const STATUS_COLOUR = { ready: 'green', down: 'red', disconnected: 'red' } as const;

/** `docker node ls`'s MANAGER STATUS: Leader, Reachable, Unreachable, or empty for a worker. */
function managerStatus(n: SwarmNode): string {
  if (n.leader) return 'Leader';
  if (!n.reachability) return '';
  return n.reachability.charAt(0).toUpperCase() + n.reachability.slice(1);
}

export const nodeColumns: Column<SwarmNode>[] = [
  // The node this host's engine is, marked as `docker node ls` marks it.
  { header: 'ID', value: (n) => `${n.id}${n.self ? ' *' : ''}` },
  { header: 'HOSTNAME', value: (n) => n.hostname, shrink: true },
  {
    header: 'STATUS',
    value: (n) => n.status.charAt(0).toUpperCase() + n.status.slice(1),
    colour: (n) => STATUS_COLOUR[n.status as keyof typeof STATUS_COLOUR],
  },
  {
    header: 'AVAILABILITY',
    value: (n) => n.availability.charAt(0).toUpperCase() + n.availability.slice(1),
  },
  { header: 'MANAGER STATUS', value: managerStatus },
  { header: 'ENGINE VERSION', value: (n) => n.engineVersion },
  { header: 'ADDR', value: (n) => n.addr, wide: true },
  { header: 'TASKS', value: (n) => String(n.tasksRunning), wide: true },
  {
    header: 'LABELS',
    value: (n) =>
      Object.entries(n.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    wide: true,
    shrink: true,
  },
  { header: 'AGE', value: (n) => age(n.createdAt), wide: true },
];

const nodes = kind<SwarmNode>({
  plural: 'nodes',
  singular: 'node',
  aliases: ['node'],
  summary: "List the nodes of a manager host's swarm (docker node ls)",
  listKey: 'nodes',
  hostScoped: true,
  columns: nodeColumns,
  name: (n) => n.hostname,
  matches: (n, ref) => n.hostname === ref || idStartsWith(n.id, ref),
  labels: (n) => n.labels,
  list: async (session, host) => {
    const answer = await session.client.nodes.list({ params: { host } });
    return { answer, rows: answer.nodes, stale: null };
  },
});

/** The swarm's kinds `berth get` lists. */
export const swarmKinds: AnyKind[] = [nodes];
