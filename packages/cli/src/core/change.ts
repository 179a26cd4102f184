import { routePath, shellJoin, type AnyRoute } from '@berth/contract';
import { CliError } from './errors.js';
import { io, paint } from './io.js';
import type { Session } from './session.js';

/** What a change is, so --dry-run can show it instead of doing it. */
export interface ChangePlan {
  /** The equivalent docker command(s), as argv (`['docker', 'stop', 'web']`). */
  docker?: readonly (readonly string[])[] | readonly string[];
  route: AnyRoute;
  input?: { params?: unknown; query?: unknown; body?: unknown };
}

function dockerLines(docker: ChangePlan['docker']): string[] {
  if (!docker || docker.length === 0) return [];
  const many = Array.isArray(docker[0]) ? (docker as string[][]) : [docker as string[]];
  return many.map((argv) => shellJoin(argv));
}

/** Prints the plan: the docker command(s), then the request (method, path, JSON body). */
export function printPlan(plan: ChangePlan): void {
  const method = 'method' in plan.route ? plan.route.method : 'GET';
  for (const line of dockerLines(plan.docker)) io.out(line);
  io.out(paint('grey', `${method} ${routePath(plan.route, plan.input)}`));
  const body = plan.input?.body;
  if (body !== undefined && typeof body === 'object') io.out(JSON.stringify(body, null, 2));
}

/**
 * Runs a change, or under --dry-run prints it and changes nothing (answers null). Every
 * command that changes something goes through here, so --dry-run holds for all of them.
 */
export async function change<T>(
  session: Session,
  plan: ChangePlan,
  perform: () => Promise<T>,
): Promise<T | null> {
  if (session.dryRun) {
    printPlan(plan);
    return null;
  }
  return perform();
}

/** One item's outcome in a bulk action. */
export interface ItemResult {
  name: string;
  ok: boolean;
  /** Why it failed, or what happened ("stopped"). */
  message?: string;
}

/** Prints each item's result; a bulk action exits 1 if any failed, after listing every one. */
export function reportItems(results: readonly ItemResult[]): void {
  for (const r of results) {
    if (r.ok) io.out(r.message ? `${r.name}: ${r.message}` : r.name);
    else io.err(`${paint('red', 'error')}: ${r.name}: ${r.message ?? 'failed'}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) throw new CliError(`${failed} of ${results.length} failed`);
}
