import type { AnyRoute, PruneResult } from '@berth/contract';
import type { Command } from 'commander';
import { change, type ItemResult } from '../core/change.js';
import { collect, sessionOf } from '../core/command.js';
import { describeError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { bytes, parseOutputFormat, printData } from '../core/output.js';
import { confirm } from '../core/prompt.js';
import type { Session } from '../core/session.js';

/** `-l k=v -l x=y` (or `--opt`) as a map; a missing `=` is an empty value. */
export function keyValues(
  values: readonly string[] | undefined,
): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  return Object.fromEntries(
    values.map((v) => {
      const eq = v.indexOf('=');
      return eq < 0 ? [v, ''] : [v.slice(0, eq), v.slice(eq + 1)];
    }),
  );
}

/** `--filter label=…` as the prune routes take it: the label key, or key=value. */
export function pruneLabel(filters: readonly string[] | undefined): string | undefined {
  if (!filters || filters.length === 0) return undefined;
  if (filters.length > 1) throw new UsageError('--filter may be given once');
  const [filter = ''] = filters;
  if (!filter.startsWith('label='))
    throw new UsageError('--filter takes label=<key> or label=<key>=<value>');
  return filter.slice('label='.length);
}

/** What a prune of one kind is: its docker command and its route. */
export interface PruneKind {
  kind: 'networks' | 'volumes';
  /** `docker <kind> prune` and its fixed flags (`--all` for volumes). */
  docker: readonly string[];
  route: AnyRoute;
  call: (session: Session, body: PruneBody) => Promise<PruneResult>;
}

interface PruneBody {
  dryRun: boolean;
  label?: string;
}

/**
 * `<group> prune`: the server lists what would go (its own dry run changes nothing), the user
 * confirms (refused without a terminal unless --yes/--force), then it prunes; under --dry-run
 * the list is what would go, and the request is printed instead of made.
 */
export function registerPrune(group: Command, spec: PruneKind): void {
  group
    .command('prune')
    .description(`Remove ${spec.kind} no container uses (asks first)`)
    .option(
      '--filter <label=…>',
      `Only ${spec.kind} with this label: label=<key>[=<value>]`,
      collect,
    )
    .option('-f, --force', 'Do not ask')
    .option('-y, --yes', 'Do not ask')
    .action(
      async (options: { filter?: string[]; force?: boolean; yes?: boolean }, command: Command) => {
        const session = sessionOf(command);
        const label = pruneLabel(options.filter);
        const body: PruneBody = { dryRun: false, ...(label ? { label } : {}) };
        const candidates = await spec.call(session, { ...body, dryRun: true });
        if (candidates.removed.length === 0) {
          io.err(`No unused ${spec.kind} to remove.`);
          return;
        }
        if (session.dryRun) for (const r of candidates.removed) io.err(`would remove ${r.name}`);
        else {
          const names = candidates.removed.map((r) => r.name).join(', ');
          const question = `Remove ${candidates.removed.length} unused ${spec.kind} (${names})?`;
          const yes = options.yes === true || options.force === true;
          if (!(await confirm(question, { yes, flag: '--force' }))) return;
        }
        const docker = [
          ...spec.docker,
          '--force',
          ...(label ? ['--filter', `label=${label}`] : []),
        ];
        const params = { host: session.host };
        const done = await change(
          session,
          { docker, route: spec.route, input: { params, body } },
          () => spec.call(session, body),
        );
        if (!done) return;
        for (const removed of done.removed) io.out(removed.name);
        for (const failed of done.failed) io.err(`error: ${failed.id}: ${failed.error}`);
        if (done.reclaimedBytes > 0) io.err(`Reclaimed ${bytes(done.reclaimedBytes)}`);
      },
    );
}

/** Runs one item's change, its failure becoming that item's result. */
export async function item(name: string, perform: () => Promise<unknown>): Promise<ItemResult> {
  try {
    await perform();
    return { name, ok: true };
  } catch (err) {
    return { name, ok: false, message: describeError(err) };
  }
}

/** `inspect`'s output: JSON (the API's answer, as docker inspect prints) unless -o yaml. */
export function printInspect(output: string | undefined, values: unknown[]): void {
  const format = parseOutputFormat(output ?? 'json');
  if (format !== 'json' && format !== 'yaml') throw new UsageError('-o must be json or yaml');
  printData(format, values.length === 1 ? values[0] : values);
}
