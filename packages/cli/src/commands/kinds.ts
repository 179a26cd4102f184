import { ApiError, type EventsMessage, type Staleness } from '@berth/contract';
import { age, type Column } from '../core/output.js';
import type { Session } from '../core/session.js';
import { matchesSelectors, type LabelRequirement } from './selectors.js';

/** One host's list: the API's answer as it came, its rows, and whether it is the last known one. */
export interface Listed<T> {
  answer: object;
  rows: T[];
  stale: Staleness | null;
}

/** Where a host of an all-hosts list stands. */
export interface HostStanding {
  id: string;
  reachable: boolean;
  stale: Staleness | null;
  /** Why its list could not be read at all. */
  error?: string;
}

export type OnHost<T> = T & { host: string };

/** Every visible host's rows: the fleet route's answer, or the per-host answers gathered. */
export interface FleetListed<T> {
  answer: object;
  rows: OnHost<T>[];
  hosts: HostStanding[];
}

/** What a watch knows when a message comes: where it is, and the rows it shows now. */
export interface WatchContext<T> {
  session: Session;
  host: string;
  known: readonly T[];
}

/** How `-w` follows a kind: which stream messages name one of its objects, and how to re-read it. */
export interface WatchSpec<T> {
  /** The key of the object a message names (a container id, a host id), or null. */
  named(message: EventsMessage, context: WatchContext<T>): string | null | Promise<string | null>;
  key(row: T): string;
  /** The object as the list shows it now; null when it is gone. */
  fetch(session: Session, host: string, key: string): Promise<T | null>;
}

/** A kind `berth get` lists: its names, columns, how to read it and how rows are matched. */
export interface Kind<T> {
  plural: string;
  singular: string;
  aliases: string[];
  summary: string;
  /** The key of the rows in the list's answer (`containers`). */
  listKey: string;
  /** Lists per host (`-H`, `-A`); false for hosts, users and tokens. */
  hostScoped: boolean;
  columns: Column<T>[];
  /** What `-o name` prints after `<singular>/`. */
  name(row: T): string;
  /** A NAME argument: by name or by id prefix. */
  matches(row: T, ref: string): boolean;
  /** Kinds with labels take `-l`. */
  labels?(row: T): Readonly<Record<string, string>>;
  list(session: Session, host: string): Promise<Listed<T>>;
  /** The fleet route, where there is one; else `-A` reads each host in turn. */
  fleet?(session: Session): Promise<FleetListed<T>>;
  watch?: WatchSpec<T>;
}

/** Kinds differ in row type; the registry holds them all. */
export type AnyKind = Kind<unknown>;

export function kind<T>(spec: Kind<T>): AnyKind {
  return spec as unknown as AnyKind;
}

/** Null for a 404 (the object is gone), the error otherwise. */
export async function orGone<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** "in 5d" for a time ahead, "3h ago" for one past, "never" for none. */
export function relative(
  iso: string | null | undefined,
  never = 'never',
  now = Date.now(),
): string {
  if (!iso) return never;
  const at = Date.parse(iso);
  if (at > now) return `in ${age(new Date(now).toISOString(), at)}`;
  return `${age(iso, now)} ago`;
}

/** The fleet's limit: enough for any fleet a CLI table shows. */
export const FLEET_LIMIT = 2000;

/** What a get keeps of the rows it read: its label selectors and names. */
export interface RowFilter {
  selectors: LabelRequirement[];
  names: string[];
}

export function keeps(kind: AnyKind, filter: RowFilter, row: unknown): boolean {
  const labelled = !kind.labels || matchesSelectors(kind.labels(row), filter.selectors);
  return labelled && (filter.names.length === 0 || filter.names.some((n) => kind.matches(row, n)));
}
