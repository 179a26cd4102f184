import type { StreamSwarmChange } from '@berth/contract';
import type { SwarmApi } from '../../docker/swarm-api.js';

const INTERVAL_MS = 1_000;
const MAX_MS = 30 * 60_000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Follows a rolling update (or rollback) while it runs: the engine sends no event when a task
 * on another node moves, so the service's tasks are read once a second, and each task whose
 * state changed is sent, until the update is over (or 30 minutes, or nobody listens).
 */
export async function watchUpdate(
  api: SwarmApi,
  hostId: string,
  serviceId: string,
  signal: AbortSignal,
  send: (message: StreamSwarmChange) => void,
): Promise<void> {
  const seen = new Map<string, string>();
  const deadline = Date.now() + MAX_MS;
  for (let first = true; !signal.aborted && Date.now() < deadline; first = false) {
    for (const task of await api.tasks({ service: [serviceId] })) {
      const state = `${task.Status.State}/${task.DesiredState}`;
      if (seen.get(task.ID) === state) continue;
      seen.set(task.ID, state);
      if (!first)
        send({
          type: 'swarm-change',
          host: hostId,
          kind: 'task',
          action: task.Status.State,
          id: task.ID,
          name: null,
          service: serviceId,
          updateState: null,
        });
    }
    const status = (await api.service(serviceId))?.UpdateStatus?.State;
    if (status !== 'updating' && status !== 'rollback_started') return;
    await pause(INTERVAL_MS, signal);
  }
}
