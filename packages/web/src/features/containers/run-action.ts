import { client } from '../../api/client.js';
import type { ContainerAction } from './container-actions.js';

/** Runs one action on one container; removing forces (a running one is stopped first). */
export function runAction(
  host: string,
  id: string,
  action: ContainerAction,
): Promise<{ cli: string }> {
  const params = { host, id };
  if (action === 'remove') return client.containers.remove({ params, query: { force: 'true' } });
  return client.containers[action]({ params });
}
