import type { Staleness } from '@berth/contract';
import { describeError } from '../core/errors.js';
import { io, paint } from '../core/io.js';
import { age, type Column } from '../core/output.js';
import type { Session } from '../core/session.js';
import type { AnyKind, FleetListed, HostStanding, OnHost } from './kinds.js';

/**
 * Every visible host's rows of a kind: the fleet route where there is one (served from each
 * host's live state), else each host's own list in turn, a host that fails marked as such.
 */
export async function listAllHosts(session: Session, kind: AnyKind): Promise<FleetListed<unknown>> {
  if (kind.fleet) return kind.fleet(session);
  const { hosts } = await session.client.hosts.list();
  const read = await Promise.all(
    hosts.map(async (host) => {
      try {
        return { host, listed: await kind.list(session, host.id) };
      } catch (err) {
        return { host, error: describeError(err) };
      }
    }),
  );
  const rows = read.flatMap(({ host, listed }) =>
    (listed?.rows ?? []).map((row) => ({ ...(row as object), host: host.id })),
  );
  const standings: HostStanding[] = read.map(({ host, listed, error }) => ({
    id: host.id,
    reachable: host.reachable && error === undefined,
    stale: listed?.stale ?? null,
    ...(error === undefined ? {} : { error }),
  }));
  return { answer: { [kind.listKey]: rows, hosts: standings }, rows, hosts: standings };
}

/** The HOST column first, marked when that host's rows are its last known ones. */
export function withHostColumn(
  columns: readonly Column<unknown>[],
  hosts: readonly HostStanding[],
): Column<unknown>[] {
  const stale = new Set(hosts.filter((h) => h.stale !== null).map((h) => h.id));
  const host: Column<OnHost<unknown>> = {
    header: 'HOST',
    value: (row) => (stale.has(row.host) ? `${row.host} (stale)` : row.host),
    colour: (row) => (stale.has(row.host) ? 'yellow' : undefined),
  };
  return [host as Column<unknown>, ...columns];
}

/** One line on stderr for a list that is not current: stdout stays the list alone. */
export function warnStale(host: string, stale: Staleness | null): void {
  if (!stale) return;
  const since = stale.since ? `as of ${age(stale.since)} ago` : 'never reached';
  io.err(`${paint('yellow', 'warning')}: host ${host} is unreachable (${stale.reason}): ${since}`);
}

export function warnHosts(hosts: readonly HostStanding[]): void {
  for (const h of hosts) {
    if (h.error !== undefined) io.err(`${paint('yellow', 'warning')}: host ${h.id}: ${h.error}`);
    else warnStale(h.id, h.stale);
  }
}
