import type { ContainerSummary, PortMapping } from '@berth/contract';
import type { Command } from 'commander';
import { sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { parseOutputFormat, printData, renderTable, type Column } from '../core/output.js';
import type { Session } from '../core/session.js';

export function registerTop(program: Command): void {
  program
    .command('top')
    .description("A container's processes (docker top)")
    .argument('<container>', 'Container name or id')
    .option('-o, --output <format>', 'table, json or yaml')
    .action(async (name: string, options: { output?: string }, command: Command) => {
      const format = parseOutputFormat(options.output);
      const session = sessionOf(command);
      const answer = await session.client.containers.top({
        params: { host: session.host, id: name },
      });
      if (format === 'json' || format === 'yaml') {
        printData(format, answer);
        return;
      }
      const columns: Column<string[]>[] = answer.titles.map((title, i) => ({
        header: title,
        value: (row) => row[i] ?? '',
        shrink: i === answer.titles.length - 1,
      }));
      for (const line of renderTable(answer.processes, columns, {
        width: io.isTty ? io.columns : undefined,
      }))
        io.out(line);
    });
}

/** `80/tcp`, `53/udp`; a bare port is tcp, as docker port reads it. */
function parsePrivatePort(text: string): { port: number; protocol: string | null } {
  const match = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/.exec(text);
  if (!match) throw new UsageError(`a port is PORT or PORT/PROTOCOL, e.g. 80/tcp (got "${text}")`);
  return { port: Number(match[1]), protocol: match[2] ?? null };
}

async function findContainer(session: Session, ref: string): Promise<ContainerSummary> {
  const list = await session.client.containers.list({ params: { host: session.host } });
  const found =
    list.containers.find((c) => c.name === ref || c.id === ref) ??
    list.containers.find((c) => c.id.startsWith(ref));
  if (!found) throw new CliError(`no container "${ref}" on ${session.host}`);
  return found;
}

/** `0.0.0.0:8080`, `[::]:8080`: where a port is published, as docker port prints it. */
function published(p: PortMapping): string {
  const ip = p.hostIp || '0.0.0.0';
  return `${ip.includes(':') ? `[${ip}]` : ip}:${p.publicPort ?? ''}`;
}

export function registerPort(program: Command): void {
  program
    .command('port')
    .description(
      "A container's published ports, or where one private port is published (docker port)",
    )
    .argument('<container>', 'Container name or id')
    .argument('[private]', 'Only this port: PORT or PORT/PROTOCOL')
    .action(async (name: string, privatePort: string | undefined, _options, command: Command) => {
      const wanted = privatePort === undefined ? null : parsePrivatePort(privatePort);
      const session = sessionOf(command);
      const container = await findContainer(session, name);
      const ports = container.ports.filter(
        (p) =>
          p.publicPort !== null &&
          (wanted === null ||
            (p.privatePort === wanted.port && p.protocol === (wanted.protocol ?? 'tcp'))),
      );
      if (wanted !== null) {
        if (ports.length === 0)
          throw new CliError(`no public port '${privatePort}' published for ${container.name}`);
        for (const p of ports) io.out(published(p));
        return;
      }
      for (const p of ports) io.out(`${p.privatePort}/${p.protocol} -> ${published(p)}`);
    });
}
