import type { PruneResult } from '@berth/contract';
import { describeError, UsageError } from '../core/errors.js';
import type { ItemResult } from '../core/change.js';
import { io } from '../core/io.js';
import { bytes, parseOutputFormat, printData } from '../core/output.js';
import { confirm } from '../core/prompt.js';

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

/**
 * A prune: the server lists what would go (its own dry run changes nothing), the user
 * confirms (refused without a terminal unless --yes/--force), then it prunes.
 */
export async function prune(
  kind: 'networks' | 'volumes',
  options: { yes?: boolean; dryRun: boolean },
  list: () => Promise<PruneResult>,
  perform: () => Promise<PruneResult | null>,
): Promise<void> {
  const candidates = await list();
  if (candidates.removed.length === 0) {
    io.err(`No unused ${kind} to remove.`);
    return;
  }
  if (!options.dryRun) {
    const names = candidates.removed.map((r) => r.name).join(', ');
    const yes = await confirm(`Remove ${candidates.removed.length} unused ${kind} (${names})?`, {
      yes: options.yes,
      flag: '--force',
    });
    if (!yes) return;
  }
  const done = await perform();
  if (!done) return;
  for (const removed of done.removed) io.out(removed.name);
  for (const failed of done.failed) io.err(`error: ${failed.id}: ${failed.error}`);
  if (done.reclaimedBytes > 0) io.err(`Reclaimed ${bytes(done.reclaimedBytes)}`);
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
