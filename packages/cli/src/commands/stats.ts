import {
  type ContainerStats,
  type ContainerSummary,
  type EventsMessage,
  type StatsManyMessage,
  STATS_MANY_MAX,
} from '@berth/contract';
import type { Command } from 'commander';
import type WebSocket from 'ws';
import { exitQuietlyOnBrokenPipe } from '../core/broken-pipe.js';
import { sessionOf } from '../core/command.js';
import { UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { bytes, printData, renderTable, type Column } from '../core/output.js';
import type { Session } from '../core/session.js';
import { openStream } from '../core/stream-socket.js';

type Reading = Extract<StatsManyMessage, { type: 'stats' }>;

/** A row: the container as named, its last reading (none yet, or none to come). */
interface StatsRow {
  name: string;
  reading: ContainerStats | null;
}

const percent = (value: number): string => `${value.toFixed(2)}%`;
const pair = (a: number, b: number): string => `${bytes(a)} / ${bytes(b)}`;
const dash = '--';

export const statsColumns: Column<StatsRow>[] = [
  { header: 'NAME', value: (r) => r.name, shrink: true },
  { header: 'CPU %', value: (r) => (r.reading ? percent(r.reading.cpuPercent) : dash) },
  {
    header: 'MEM USAGE / LIMIT',
    value: (r) => (r.reading ? pair(r.reading.memory.usage, r.reading.memory.limit) : dash),
  },
  { header: 'MEM %', value: (r) => (r.reading ? percent(r.reading.memory.percent) : dash) },
  {
    header: 'NET I/O',
    value: (r) => (r.reading ? pair(r.reading.network.rxBytes, r.reading.network.txBytes) : dash),
  },
  {
    header: 'BLOCK I/O',
    value: (r) =>
      r.reading ? pair(r.reading.blockIo.readBytes, r.reading.blockIo.writeBytes) : dash,
  },
  { header: 'PIDS', value: (r) => (r.reading ? String(r.reading.pids) : dash) },
];

interface StatsOptions {
  stream: boolean;
  all?: boolean;
  output?: string;
}

/** The containers to show: those named, else the running ones (all of them with -a). */
async function containerNames(session: Session, all: boolean): Promise<string[]> {
  const list = await session.client.containers.list({ params: { host: session.host } });
  return list.containers
    .filter((c: ContainerSummary) => all || c.state === 'running')
    .map((c) => c.name)
    .slice(0, STATS_MANY_MAX);
}

/** The table, redrawn in place on a terminal: up over the last one, clear, print. */
class StatsScreen {
  private drawn = 0;

  draw(rows: StatsRow[]): void {
    const lines = renderTable(rows, statsColumns, { width: io.columns });
    const up = this.drawn > 0 ? `\u001b[${this.drawn}A` : '';
    process.stdout.write(`${up}\u001b[J${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}

/** Follows stats.many: rows in the order named, a reading replacing the last, ended ones out. */
async function watch(
  session: Session,
  names: string[],
  options: StatsOptions & { live: boolean; followNew: boolean },
): Promise<void> {
  const endpoint = session.client.stats.many;
  const socket = await openStream(session, endpoint.url({ params: { host: session.host } }));
  exitQuietlyOnBrokenPipe(() => socket.terminate());
  const rows = new Map<string, StatsRow>(names.map((n) => [n, { name: n, reading: null }]));
  const answers = new Map<string, Reading>();
  const endings = new Map<string, string>();
  const pending = new Set(names);
  const screen = new StatsScreen();
  let events: WebSocket | null = null;
  let timer: NodeJS.Timeout | null = null;
  const subscribe = (ids: string[]): void => {
    if (ids.length > 0) socket.send(endpoint.encode({ type: 'subscribe', ids }));
  };

  await new Promise<void>((resolve, reject) => {
    let finished = false;
    const finish = (): void => {
      finished = true;
      if (timer) clearInterval(timer);
      events?.close();
      socket.close(1000, 'done');
      resolve();
    };
    const settle = (id: string): void => {
      pending.delete(id);
      if (!options.live && pending.size === 0) finish();
    };
    socket.on('message', (data: Buffer) => {
      const message = endpoint.parse(data.toString('utf8'));
      if (message.type === 'stats') {
        const row = rows.get(message.id);
        if (row) row.reading = message;
        answers.set(message.id, message);
        settle(message.id);
      } else if (message.type === 'ended') {
        // Stopped or gone: out of a live table unless -a keeps every container.
        if (options.live && !options.all) rows.delete(message.id);
        if (!answers.has(message.id)) endings.set(message.id, message.reason);
        settle(message.id);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.resume();
    if (names.length === 0 && !options.live) {
      finish();
      return;
    }
    subscribe(names);
    if (options.live) {
      timer = setInterval(() => screen.draw([...rows.values()]), 1000);
      process.once('SIGINT', finish);
    }
    if (options.live && options.followNew) {
      void followNewContainers(session, options.all === true, (name) => {
        if (rows.has(name)) return;
        rows.set(name, { name, reading: null });
        subscribe([name]);
      }).then((ws) => {
        events = ws;
        if (finished) ws.close();
      }, reject);
    }
  });

  if (!options.live) {
    for (const missing of await missingOf(session, [...endings.keys()])) {
      io.err(`error: ${endings.get(missing) ?? `No such container: ${missing}`}`);
      rows.delete(missing);
      process.exitCode = 1;
    }
    if (options.output === 'json' || options.output === 'yaml')
      printData(options.output, names.map((n) => answers.get(n)).filter(Boolean));
    else for (const line of renderTable([...rows.values()], statsColumns)) io.out(line);
  }
}

/** Of the containers named that ended without a reading, those that do not exist. */
async function missingOf(session: Session, refs: string[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const list = await session.client.containers.list({ params: { host: session.host } });
  const known = (ref: string): boolean =>
    list.containers.some((c) => c.name === ref || c.id.startsWith(ref));
  return refs.filter((ref) => !known(ref));
}

/** Calls `added` with each container that starts (or, with -a, appears) after we began. */
async function followNewContainers(
  session: Session,
  all: boolean,
  added: (name: string) => void,
): Promise<WebSocket> {
  const endpoint = session.client.events.stream;
  const events = await openStream(session, endpoint.url({ params: { host: session.host } }));
  events.on('message', (data: Buffer) => {
    const message: EventsMessage = endpoint.parse(data.toString('utf8'));
    if (message.type !== 'change' || message.change.kind !== 'container') return;
    if (message.change.action !== 'upsert') return;
    containerNames(session, all).then(
      (names) => names.forEach(added),
      (err: unknown) => io.err(`berth: cannot list new containers: ${String(err)}`),
    );
  });
  events.on('error', (err) => io.err(`berth: events stream failed: ${err.message}`));
  events.resume();
  return events;
}

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('Live CPU, memory, network and block I/O of containers (docker stats)')
    .argument('[containers...]', 'Only these containers (default: every running one)')
    .option('-a, --all', 'Every container, stopped ones too')
    .option('--no-stream', 'Print one table and exit (also when stdout is not a terminal)')
    .option('-o, --output <format>', 'table, json or yaml (json and yaml with --no-stream)')
    .action(async (names: string[], options: StatsOptions, command: Command) => {
      const format = options.output ?? 'table';
      if (!['table', 'json', 'yaml'].includes(format))
        throw new UsageError(`-o must be one of table, json, yaml (got "${format}")`);
      const live = options.stream && io.isTty && format === 'table';
      if (format !== 'table' && options.stream && io.isTty)
        throw new UsageError(`-o ${format} prints one reading: add --no-stream`);
      const session = sessionOf(command);
      const shown = names.length > 0 ? names : await containerNames(session, options.all === true);
      await watch(session, shown, { ...options, live, followNew: names.length === 0 });
    });
}
