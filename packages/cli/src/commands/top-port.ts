import type { ContainerSummary, PortMapping } from '@berth/contract';
import type { Command } from 'commander';
import { sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { parseOutputFormat, printData, renderTable, type Column } from '../core/output.js';
import type { Session } from '../core/session.js';

/** What the server takes as ps options (the contract's TopQuery). */
const PS_ARGS = /^[A-Za-z0-9 ,=+-]{1,100}$/;

export function registerTop(program: Command): void {
  program
    .command('top')
    .description("A container's processes (docker top)")
    // cli.ts turns on pass-through for this command: what follows the container is ps's.
    .usage('[-o json|yaml] CONTAINER [ps OPTIONS]')
    .argument('<container>', 'Container name or id')
    .argument(
      '[ps-options...]',
      'Options for ps, after the container (default -ef), e.g. aux or -o pid,comm',
    )
    .option('-o, --output <format>', 'table, json or yaml (before the container)')
    .action(
      async (name: string, psWords: string[], options: { output?: string }, command: Command) => {
        // `berth top web -o json` from before ps options: ps has no json or yaml column.
        const trailing = /^-o\s*(json|yaml)$/.exec(psWords.join(' '));
        const format = parseOutputFormat(trailing?.[1] ?? options.output);
        const psArgs = psWords.length > 0 && !trailing ? psWords.join(' ') : undefined;
        if (psArgs !== undefined && !PS_ARGS.test(psArgs))
          throw new UsageError(
            `ps options may hold only letters, digits, spaces and ,=+- (got "${psArgs}")`,
          );
        const session = sessionOf(command);
        const answer = await session.client.containers.top({
          params: { host: session.host, id: name },
          query: psArgs === undefined ? {} : { psArgs },
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
      },
    );
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
