import type { ContainerSummary } from '@berth/contract';
import type { Command } from 'commander';
import { collect, sessionOf } from '../core/command.js';
import { age, parseOutputFormat, printList, type Column } from '../core/output.js';

const STATE_COLOUR = { running: 'green', exited: 'red', dead: 'red', paused: 'yellow' } as const;

export const containerColumns: Column<ContainerSummary>[] = [
  { header: 'NAME', value: (c) => c.name, shrink: true },
  {
    header: 'STATE',
    value: (c) => (c.health ? `${c.state} (${c.health})` : c.state),
    colour: (c) => STATE_COLOUR[c.state as keyof typeof STATE_COLOUR],
  },
  { header: 'IMAGE', value: (c) => c.image, shrink: true },
  { header: 'STATUS', value: (c) => c.status },
  {
    header: 'PORTS',
    value: (c) =>
      c.ports
        .map((p) =>
          p.publicPort === null
            ? `${p.privatePort}/${p.protocol}`
            : `${p.hostIp && p.hostIp !== '0.0.0.0' ? `${p.hostIp}:` : ''}${p.publicPort}->${p.privatePort}/${p.protocol}`,
        )
        .join(','),
    shrink: true,
  },
  { header: 'AGE', value: (c) => age(c.created) },
  { header: 'ID', value: (c) => c.id.slice(0, 12), wide: true },
  { header: 'NETWORKS', value: (c) => c.networks.map((n) => n.name).join(','), wide: true },
  { header: 'COMMAND', value: (c) => c.command, wide: true, shrink: true },
];

interface GetOptions {
  output?: string;
  selector?: string[];
}

export function registerGet(program: Command): void {
  const get = program
    .command('get')
    .description('List resources: containers, images, networks, volumes, stacks, hosts, …');
  get
    .command('containers')
    .alias('container')
    .alias('ps')
    .description('List containers (docker ps --all)')
    .argument('[names...]', 'Only these containers')
    .option('-o, --output <format>', 'table, wide, json, yaml or name')
    .option('-l, --selector <key=value>', 'Only containers with this label (repeatable)', collect)
    .action(async (names: string[], options: GetOptions, command: Command) => {
      const format = parseOutputFormat(options.output);
      const session = sessionOf(command);
      const answer = await session.client.containers.list({ params: { host: session.host } });
      const labels = (options.selector ?? []).map((s) => s.split('=') as [string, string?]);
      const rows = answer.containers.filter(
        (c) =>
          (names.length === 0 || names.includes(c.name) || names.some((n) => c.id.startsWith(n))) &&
          labels.every(([k, v]) => (v === undefined ? k in c.labels : c.labels[k] === v)),
      );
      printList(
        format,
        { ...answer, containers: rows },
        rows,
        containerColumns,
        (c) => `container/${c.name}`,
      );
    });
}
