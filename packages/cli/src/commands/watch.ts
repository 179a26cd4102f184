import type { EventsMessage, RecentEvent } from '@berth/contract';
import type WebSocket from 'ws';
import { stringify } from 'yaml';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { renderTable, type Column, type OutputFormat } from '../core/output.js';
import type { Session } from '../core/session.js';
import { keeps, type AnyKind, type RowFilter } from './kinds.js';

/** Changes named within this window are re-read together: a burst costs one read per object. */
const DEBOUNCE_MS = 150;

export type WatchEvent = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * Prints a watch: the list first, then each change — a row line in table mode (kubectl -w), a
 * document `{type, object}` per change in json (one per line) and yaml (`---` between).
 */
class WatchPrinter {
  private readonly shown: unknown[] = [];
  private headed = false;

  constructor(
    private readonly format: OutputFormat,
    private readonly columns: readonly Column<unknown>[],
    private readonly name: (row: unknown) => string,
  ) {}

  list(answer: object, rows: readonly unknown[]): void {
    if (this.format === 'json') io.out(JSON.stringify(answer));
    else if (this.format === 'yaml') io.out(stringify(answer).trimEnd());
    else if (this.format === 'name') for (const row of rows) io.out(this.name(row));
    else if (rows.length > 0) {
      this.shown.push(...rows);
      for (const line of this.table(rows, true)) io.out(line);
      this.headed = true;
    }
  }

  change(type: WatchEvent, object: unknown): void {
    if (this.format === 'json') io.out(JSON.stringify({ type, object }));
    else if (this.format === 'yaml') io.out(`---\n${stringify({ type, object }).trimEnd()}`);
    else if (this.format === 'name') io.out(this.name(object));
    else {
      // Widths are those of every row shown so far, so the new line lines up with the table.
      this.shown.push(object);
      const lines = this.table(this.shown, !this.headed);
      if (!this.headed) io.out(lines[0] ?? '');
      io.out(lines[lines.length - 1] ?? '');
      this.headed = true;
    }
  }

  private table(rows: readonly unknown[], headers: boolean): string[] {
    return renderTable(rows, this.columns, {
      wide: this.format === 'wide',
      width: io.isTty ? io.columns : undefined,
      colour: io.colour,
      headers,
    });
  }
}

/**
 * Follows events streams until Ctrl-C (resolves: exit 0) or until a stream closes (rejects
 * with its reason: exit 1). Messages are handed over as they come.
 */
function follow(sockets: readonly WebSocket[], onMessage: (data: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let ended = false;
    const end = (error?: CliError): void => {
      if (ended) return;
      ended = true;
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      for (const s of sockets) s.terminate();
      if (error) reject(error);
      else resolve();
    };
    const interrupted = (): void => end();
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    for (const socket of sockets) {
      socket.on('message', (data: Buffer) => onMessage(data.toString()));
      socket.on('close', (code: number, reason: Buffer) =>
        end(
          new CliError(
            `the events stream closed (${code}${reason.length > 0 ? `: ${reason.toString()}` : ''})`,
          ),
        ),
      );
      socket.on('error', (err: Error) =>
        end(new CliError(`the events stream failed: ${err.message}`)),
      );
    }
  });
}

/** Waits until a socket is open, so the list is read only once changes are being heard. */
function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (err: Error) =>
      reject(new CliError(`cannot follow the events stream: ${err.message}`)),
    );
  });
}

/**
 * `get <kind> -w`: the list, then the rows that change. Each change message names an object;
 * only that object is read again (a burst of messages is read once), and it is printed when it
 * appeared, changed or went away among the rows this get keeps. No polling.
 */
export async function watchKind(
  session: Session,
  kind: AnyKind,
  format: OutputFormat,
  filter: RowFilter,
): Promise<void> {
  const spec = kind.watch;
  if (!spec)
    throw new UsageError(
      `${kind.plural} cannot be watched: -w follows containers, images, networks, volumes, stacks, hosts and events`,
    );
  const stream = session.client.events.stream;
  const pending = new Set<string>();
  const queued: string[] = [];
  let receive = (data: string): void => void queued.push(data);

  const hosts = kind.hostScoped
    ? [session.host]
    : (await session.client.hosts.list()).hosts.map((h) => h.id);
  const sockets = await Promise.all(
    hosts.map((host) => session.socket(stream.url({ params: { host } }))),
  );
  const following = follow(sockets, (data) => receive(data));
  // Raced, so a stream that fails while connecting is reported once, by whichever comes first.
  await Promise.race([Promise.all(sockets.map(opened)), following]);

  const listed = await kind.list(session, session.host);
  const printer = new WatchPrinter(format, kind.columns, (r) => `${kind.singular}/${kind.name(r)}`);
  const known = new Map<string, unknown>();
  const kept = listed.rows.filter((r) => keeps(kind, filter, r));
  for (const row of kept) known.set(spec.key(row), row);
  printer.list({ ...listed.answer, [kind.listKey]: kept }, kept);

  let reading = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const flush = async (): Promise<void> => {
    timer = undefined;
    const keys = [...pending];
    pending.clear();
    for (const key of keys) {
      const found = await spec.fetch(session, session.host, key);
      const row = found !== null && keeps(kind, filter, found) ? found : null;
      const before = known.get(key);
      if (row === null) {
        if (before === undefined) continue;
        known.delete(key);
        printer.change('DELETED', before);
      } else if (before === undefined) {
        known.set(key, row);
        printer.change('ADDED', row);
      } else if (JSON.stringify(before) !== JSON.stringify(row)) {
        known.set(key, row);
        printer.change('MODIFIED', row);
      }
    }
  };
  let failed: ((err: unknown) => void) | undefined;
  const failure = new Promise<never>((_resolve, reject) => (failed = reject));
  // Messages are taken in order: naming one may need a read (the stack of a new container).
  let naming = Promise.resolve();
  receive = (data) => {
    naming = naming
      .then(async () => {
        const message = stream.parse(data);
        const context = { session, host: session.host, known: [...known.values()] };
        const key = await spec.named(message, context);
        if (key === null) return;
        pending.add(key);
        timer ??= setTimeout(() => {
          reading = reading.then(flush).catch((err: unknown) => failed?.(err));
        }, DEBOUNCE_MS);
      })
      .catch((err: unknown) => failed?.(err));
  };
  for (const data of queued.splice(0)) receive(data);
  try {
    await Promise.race([following, failure]);
  } finally {
    clearTimeout(timer);
    for (const s of sockets) s.terminate();
  }
}

/** A stream message as a row of the events table. */
function eventRow(message: EventsMessage): RecentEvent | null {
  const now = new Date().toISOString();
  switch (message.type) {
    case 'hello':
      return null;
    case 'change':
      return {
        time: message.change.at,
        type: message.change.kind,
        action: message.change.action === 'upsert' ? 'changed' : 'removed',
        id: message.change.id,
        name: null,
      };
    case 'reachability':
      return {
        time: now,
        type: 'host',
        action: message.reachable ? 'reachable' : 'unreachable',
        id: message.host,
        name: message.host,
      };
    case 'progress': {
      const amount =
        message.current !== null && message.total !== null
          ? ` ${message.current}/${message.total}`
          : '';
      return {
        time: now,
        type: message.operation,
        action: `${message.status}${amount}`,
        id: message.layer ?? message.transferId ?? '',
        name: message.subject,
      };
    }
    case 'stack':
      return {
        time: now,
        type: `stack ${message.operation}`,
        action: message.step,
        id: message.container ?? '',
        name: `${message.stack}${message.service ? `/${message.service}` : ''}${message.message ? ` ${message.message}` : ''}`,
      };
    case 'agent':
      return {
        time: now,
        type: 'agent',
        action: message.agent.state.replace('_', ' '),
        id: message.agent.keyFingerprint ?? '',
        name: message.host,
      };
    case 'alert':
      return {
        time: now,
        type: 'alert',
        action: message.alert.acknowledgedAt ? 'acknowledged' : message.alert.state,
        id: message.alert.id,
        name: `${message.alert.ruleName}: ${message.alert.subject}`,
      };
    case 'metrics':
      // A sampling round is a reading, not an event: `berth stats` shows readings.
      return null;
    case 'swarm':
      return {
        time: now,
        type: 'swarm',
        action: message.swarm.role ?? message.swarm.state,
        id: message.swarm.nodeId ?? '',
        name: message.host,
      };
    case 'swarm-change':
      return {
        time: now,
        type: message.kind,
        action: message.updateState ? `${message.action} ${message.updateState}` : message.action,
        id: message.id,
        name: message.name,
      };
    case 'proxy':
      return {
        time: now,
        type: 'proxy route',
        action: message.route
          ? (message.route.wake?.state ?? message.route.applied.state).replace('_', ' ')
          : 'removed',
        id: message.id,
        name: message.route?.hostnames.join(',') ?? null,
      };
  }
}

/** `get events -w`: the last events, then every stream message as a line (or a document). */
export async function watchEvents(
  session: Session,
  kind: AnyKind,
  format: OutputFormat,
  filter: RowFilter,
): Promise<void> {
  const stream = session.client.events.stream;
  const queued: string[] = [];
  let receive = (data: string): void => void queued.push(data);
  const socket = await session.socket(stream.url({ params: { host: session.host } }));
  const following = follow([socket], (data) => receive(data));
  await Promise.race([opened(socket), following]);
  const listed = await kind.list(session, session.host);
  const kept = listed.rows.filter((r) => keeps(kind, filter, r));
  const printer = new WatchPrinter(format, kind.columns, (r) => `${kind.singular}/${kind.name(r)}`);
  printer.list({ ...listed.answer, [kind.listKey]: kept }, [...kept].reverse());
  let failed: ((err: unknown) => void) | undefined;
  const failure = new Promise<never>((_resolve, reject) => (failed = reject));
  receive = (data) => {
    try {
      const message = stream.parse(data);
      if (format === 'json') io.out(JSON.stringify(message));
      else if (format === 'yaml') io.out(`---\n${stringify(message).trimEnd()}`);
      else {
        const row = eventRow(message);
        if (row && keeps(kind, filter, row)) printer.change('ADDED', row);
      }
    } catch (err) {
      failed?.(err);
    }
  };
  for (const data of queued.splice(0)) receive(data);
  try {
    await Promise.race([following, failure]);
  } finally {
    socket.terminate();
  }
}
