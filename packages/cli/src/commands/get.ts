import type { Command } from 'commander';
import { collect, sessionOf } from '../core/command.js';
import { UsageError } from '../core/errors.js';
import { parseOutputFormat, printList, type OutputFormat } from '../core/output.js';
import type { Session } from '../core/session.js';
import { accountKinds } from './account-kinds.js';
import { listAllHosts, warnHosts, warnStale, withHostColumn } from './all-hosts.js';
import { engineKinds } from './engine-kinds.js';
import { proxyKinds } from './proxy-kinds.js';
import { serviceKinds } from './service-kinds.js';
import { swarmKinds } from './swarm-kinds.js';
import { keeps, type AnyKind, type RowFilter } from './kinds.js';
import { notFound, parseSelectors, pickNamed } from './selectors.js';
import { watchEvents, watchKind } from './watch.js';

export { containerColumns } from './engine-kinds.js';

/** Every kind `berth get` lists, in the order of its help. */
export const kinds: readonly AnyKind[] = [
  ...engineKinds,
  ...swarmKinds,
  ...serviceKinds,
  ...proxyKinds,
  ...accountKinds,
];

interface GetOptions {
  output?: string;
  selector?: string[];
  allHosts?: boolean;
  watch?: boolean;
}

function rowFilter(kind: AnyKind, names: string[], options: GetOptions): RowFilter {
  const selectors = parseSelectors(options.selector ?? []);
  if (selectors.length > 0 && !kind.labels)
    throw new UsageError(`${kind.plural} have no labels: -l does not apply to them`);
  return { selectors, names };
}

/** Prints the rows kept and fails naming each NAME that matched nothing (after the others). */
function printKept(
  kind: AnyKind,
  format: OutputFormat,
  answer: object,
  rows: readonly unknown[],
  filter: RowFilter,
  columns = kind.columns,
): void {
  const labelled = rows.filter((r) => keeps(kind, { ...filter, names: [] }, r));
  const picked = pickNamed(labelled, filter.names, (r, n) => kind.matches(r, n));
  // Every NAME missing: only the not-found error, no "No resources found." first (as kubectl).
  if (picked.rows.length === 0 && picked.missing.length > 0)
    throw notFound(kind.plural, picked.missing);
  printList(
    format,
    { ...answer, [kind.listKey]: picked.rows },
    picked.rows,
    columns,
    (r) => `${kind.singular}/${kind.name(r)}`,
  );
  if (picked.missing.length > 0) throw notFound(kind.plural, picked.missing);
}

async function get(
  session: Session,
  kind: AnyKind,
  format: OutputFormat,
  filter: RowFilter,
  allHosts: boolean,
): Promise<void> {
  if (allHosts && kind.hostScoped) {
    const fleet = await listAllHosts(session, kind);
    warnHosts(fleet.hosts);
    printKept(
      kind,
      format,
      fleet.answer,
      fleet.rows,
      filter,
      withHostColumn(kind.columns, fleet.hosts),
    );
    return;
  }
  const listed = await kind.list(session, session.host);
  if (kind.hostScoped) warnStale(session.host, listed.stale);
  printKept(kind, format, listed.answer, listed.rows, filter);
}

export function registerGet(program: Command): void {
  const command = program
    .command('get')
    .description('List resources: containers, images, networks, volumes, stacks, hosts, …');
  for (const kind of kinds) {
    command
      .command(kind.plural)
      .aliases(kind.aliases)
      .description(kind.summary)
      .argument('[names...]', `Only these ${kind.plural} (by name or id prefix)`)
      .option('-o, --output <format>', 'table, wide, json, yaml or name')
      .option(
        '-l, --selector <selector>',
        'Only those whose labels match: key, key=value, key!=value, !key (comma-separated, repeatable)',
        collect,
      )
      .option('-A, --all-hosts', 'Every host you may see, with a HOST column')
      .option('-w, --watch', 'After the list, print each change as it happens (Ctrl-C ends)')
      .action(async (names: string[], options: GetOptions, cmd: Command) => {
        const format = parseOutputFormat(options.output);
        const filter = rowFilter(kind, names, options);
        const session = sessionOf(cmd);
        if (!options.watch) {
          await get(session, kind, format, filter, options.allHosts === true);
          return;
        }
        if (options.allHosts && kind.hostScoped)
          throw new UsageError('-w follows one host: leave out -A, or pick the host with -H');
        if (kind.plural === 'events') await watchEvents(session, kind, format, filter);
        else await watchKind(session, kind, format, filter);
      });
  }
}
