import {
  ApiError,
  api,
  type StackOperationResult,
  type StackPlan,
  type StreamStackProgress,
} from '@berth/contract';
import { change, reportItems } from '../core/change.js';
import { io, paint, type Colour } from '../core/io.js';
import type { Session } from '../core/session.js';
import { followHostEvents } from './host-events.js';
import type { StackSource } from './stack-files.js';

const ACTION_MARK: Record<string, [string, Colour]> = {
  create: ['+', 'green'],
  recreate: ['~', 'yellow'],
  start: ['>', 'blue'],
  unchanged: ['=', 'grey'],
  remove: ['-', 'red'],
};

/** The plan as a person reads it: one line per service with its reasons, then the resources. */
export function printStackPlan(plan: StackPlan): void {
  io.out(`Plan for stack ${plan.stack} on ${plan.host}:`);
  const width = Math.max(...plan.services.map((s) => s.service.length), 0);
  for (const s of plan.services) {
    const [mark, colour] = ACTION_MARK[s.action] ?? ['?', 'grey'];
    const why = s.changes.length > 0 ? `  (${s.changes.join(', ')})` : '';
    const image = s.image === 'present' ? '' : `  [image: ${s.image}]`;
    const detail = `${why}${image}`;
    io.out(
      `  ${paint(colour, `${mark} ${s.action.padEnd(9)}`)} ${detail ? s.service.padEnd(width) : s.service}${detail}`,
    );
  }
  for (const r of plan.resources.filter((r) => r.action !== 'unchanged')) {
    const note = r.message
      ? `: ${r.message}`
      : r.changes?.length
        ? ` (${r.changes.join(', ')})`
        : '';
    const colour = r.action === 'conflict' ? 'red' : 'grey';
    io.out(paint(colour, `  ${r.kind} ${r.name}: ${r.action}${note}`));
  }
  const count = (action: string): number => plan.services.filter((s) => s.action === action).length;
  io.out(
    plan.unchanged
      ? 'Nothing to change.'
      : `${count('create')} to create, ${count('recreate')} to recreate, ${count('start')} to start, ${count('remove')} to remove, ${count('unchanged')} unchanged.`,
  );
}

/** What `syncStackFiles` did: the stack was created, or these files were written. */
export interface FileSync {
  created: boolean;
  written: string[];
}

async function exists(session: Session, name: string): Promise<boolean> {
  try {
    await session.client.stacks.get({ params: { host: session.host, name } });
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return false;
    throw err;
  }
}

async function differing(session: Session, source: StackSource): Promise<string[]> {
  const changed: string[] = [];
  for (const [path, content] of Object.entries(source.files ?? {})) {
    try {
      const current = await session.client.stacks.readFile({
        params: { host: session.host, name: source.name, '*': path },
      });
      if (current.content !== content) changed.push(path);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
      changed.push(path);
    }
  }
  return changed;
}

/**
 * Puts the command line's files in the stack's folder: creates the stack when it is missing,
 * else writes only the files that differ (each write is a version in the stack's history).
 * Under --dry-run it prints the request and writes nothing (answers null).
 */
export async function syncStackFiles(
  session: Session,
  source: StackSource,
): Promise<FileSync | null> {
  const files = source.files;
  if (files === null) return { created: false, written: [] };
  const host = session.host;
  if (!(await exists(session, source.name))) {
    const body = { name: source.name, files };
    const made = await change(
      session,
      { route: api.stacks.create, input: { params: { host }, body } },
      () => session.client.stacks.create({ params: { host }, body }),
    );
    return made ? { created: true, written: Object.keys(files) } : null;
  }
  const written = await differing(session, source);
  if (written.length === 0) return { created: false, written };
  const body = {
    files: Object.fromEntries(written.map((p) => [p, files[p] ?? ''])),
    remove: [],
    message: `berth: wrote ${written.join(', ')}`,
  };
  const done = await change(
    session,
    { route: api.stacks.update, input: { params: { host, name: source.name }, body } },
    () => session.client.stacks.update({ params: { host, name: source.name }, body }),
  );
  return done ? { created: false, written } : null;
}

export function printFileSync(name: string, sync: FileSync, source: StackSource): void {
  if (sync.created) io.out(`stack/${name} created`);
  for (const path of sync.written) {
    const from = source.origins[path];
    io.out(`  ${sync.created ? 'added' : 'updated'} ${path}${from ? ` (from ${from})` : ''}`);
  }
  if (!sync.created && sync.written.length === 0 && source.files !== null)
    io.out(`stack/${name} files unchanged`);
}

function progressLine(p: StreamStackProgress): string {
  const who = p.service ?? p.stack;
  const what = p.container && p.container !== p.service ? ` ${p.container}` : '';
  const colour: Colour | undefined =
    p.step === 'failed' ? 'red' : p.step === 'done' ? 'green' : undefined;
  const step = colour ? paint(colour, p.step) : p.step;
  return `${who}${what}: ${step}${p.message ? ` (${p.message})` : ''}`;
}

/**
 * Runs a stack operation with its progress per service printed as the events stream reports
 * it, then each service's outcome; exits 1 if any service failed.
 */
export async function withStackProgress(
  session: Session,
  name: string,
  operation: StreamStackProgress['operation'],
  perform: () => Promise<StackOperationResult>,
): Promise<void> {
  const follow = await followHostEvents(session, (m) => {
    if (m.type === 'stack' && m.stack === name && m.operation === operation)
      io.err(progressLine(m));
    else if (m.type === 'progress' && m.operation === 'pull' && m.layer === null)
      io.err(`${m.subject}: ${m.status}`);
  });
  let result: StackOperationResult;
  try {
    result = await perform();
  } finally {
    follow.close();
  }
  reportOutcomes(result);
}

export function reportOutcomes(result: StackOperationResult): void {
  reportItems(
    result.services.map((s) => ({
      name: s.service,
      ok: s.status !== 'failed',
      message: s.message ? `${s.status}: ${s.message}` : s.status,
    })),
  );
  if (!result.ok && result.services.every((s) => s.status !== 'failed'))
    reportItems([{ name: 'stack', ok: false, message: 'the operation failed' }]);
}
