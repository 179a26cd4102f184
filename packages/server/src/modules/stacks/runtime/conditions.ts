import type { ContainersApi } from '../../../docker/containers-api.js';
import type { RawContainerState } from '../../../docker/engine-types.js';
import { readLogLines } from '../../containers/container-logs.js';
import type { ProjectEvents } from './project-events.js';

export interface ConditionResult {
  ok: boolean;
  /** Why not: the exit code, the health output, the last log lines. */
  message?: string;
}

const LOG_LINES = 10;

/** What a container that let its dependents down says about itself. */
export async function describeFailure(
  api: ContainersApi,
  id: string,
  name: string,
  state: RawContainerState | undefined,
): Promise<string> {
  if (!state) return `${name} was removed`;
  const parts: string[] = [];
  if (state.OOMKilled) parts.push(`${name} ran out of memory and was killed`);
  else if (!state.Running) parts.push(`${name} exited with code ${state.ExitCode}`);
  const health = state.Health;
  if (health?.Status === 'unhealthy' || (state.Running && health)) {
    const last = health.Log?.at(-1)?.Output.trim();
    parts.push(`${name} is ${health.Status}${last ? `: ${last}` : ''}`);
  }
  if (state.Error) parts.push(state.Error);
  const logs = await readLogLines(api, id, LOG_LINES).catch(() => []);
  if (logs.length > 0) parts.push(`last log lines:\n${logs.join('\n')}`);
  return parts.join('; ');
}

/**
 * Waits on the container's events until `decide` settles on its state: look, and if
 * undecided, wait for the container's next event and look again. The mark is taken before
 * each look, so an event between the look and the wait still wakes it.
 */
async function watch(
  api: ContainersApi,
  events: ProjectEvents,
  id: string,
  decide: (state: RawContainerState | undefined) => boolean | null,
): Promise<{ ok: boolean; state: RawContainerState | undefined }> {
  for (;;) {
    const mark = events.mark();
    const state = (await api.find(id))?.State;
    const decided = decide(state);
    if (decided !== null) return { ok: decided, state };
    if ((await events.next(id, mark)) === null) return { ok: false, state };
  }
}

/** `service_healthy`: healthy passes; unhealthy, exited or removed fails. */
export async function awaitHealthy(
  api: ContainersApi,
  events: ProjectEvents,
  id: string,
  name: string,
): Promise<ConditionResult> {
  const { ok, state } = await watch(api, events, id, (s) => {
    if (!s || !s.Running) return false;
    if (!s.Health) return false;
    if (s.Health.Status === 'healthy') return true;
    return s.Health.Status === 'unhealthy' ? false : null;
  });
  if (ok) return { ok };
  if (state?.Running && !state.Health)
    return { ok, message: `${name} has no healthcheck, so it can never be healthy` };
  return { ok, message: await describeFailure(api, id, name, state) };
}

/** `service_completed_successfully`: an exit with code 0 passes, any other exit fails. */
export async function awaitCompleted(
  api: ContainersApi,
  events: ProjectEvents,
  id: string,
  name: string,
): Promise<ConditionResult> {
  const { ok, state } = await watch(api, events, id, (s) => {
    if (!s) return false;
    if (s.Running || s.Restarting || s.Status === 'created') return null;
    return s.ExitCode === 0;
  });
  if (ok) return { ok };
  return { ok, message: await describeFailure(api, id, name, state) };
}
