import type { StartValidation } from '@berth/contract';
import type { ContainersApi } from '../../docker/containers-api.js';
import type { EngineState } from '../../docker/engine-state.js';
import { readLogLines } from './container-logs.js';

/**
 * Watches a just-started container through the engine state's change feed (no sleeps, no
 * polling) for up to `windowS`: a container that dies fails at once with its exit code, OOM
 * flag and last log lines; one that turns healthy passes at once; otherwise it is judged when
 * the window closes.
 */
export async function validateStart(
  api: ContainersApi,
  state: EngineState,
  id: string,
  windowS: number,
): Promise<StartValidation> {
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, windowS * 1000);
    const unsubscribe = state.onChange((change) => {
      if (change.kind !== 'container' || change.id !== id) return;
      const current = state.container(id);
      if (change.action === 'remove' || !current) return done();
      if (current.state === 'exited' || current.state === 'dead' || current.health !== null) {
        if (current.health !== 'starting') done();
      }
    });
    // The container may have settled before we subscribed.
    const now = state.container(id);
    if (now && (now.state === 'exited' || now.state === 'dead' || now.health === 'healthy')) done();
  });
  return judge(api, id);
}

async function judge(api: ContainersApi, id: string): Promise<StartValidation> {
  const inspect = await api.find(id);
  if (!inspect) {
    return {
      ok: false,
      state: 'removed',
      health: null,
      exitCode: null,
      oomKilled: false,
      logs: [],
      message: 'The container was removed',
    };
  }
  const s = inspect.State;
  const health = s.Health?.Status ?? null;
  const base = {
    state: s.Status,
    health,
    exitCode: s.Running ? null : s.ExitCode,
    oomKilled: s.OOMKilled,
  };
  if (s.Running && health !== 'unhealthy') {
    const message =
      health === 'starting'
        ? 'Running; its health check has not passed yet'
        : health === 'healthy'
          ? 'Running and healthy'
          : 'Running';
    return { ok: true, ...base, logs: [], message };
  }
  const logs = await readLogLines(api, id, 50);
  const message = s.OOMKilled
    ? 'The container ran out of memory and was killed'
    : health === 'unhealthy'
      ? 'The container is running but its health check fails'
      : `The container stopped with exit code ${s.ExitCode}`;
  return { ok: false, ...base, logs, message };
}
