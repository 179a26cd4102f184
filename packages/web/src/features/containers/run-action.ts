import { client } from '../../api/client.js';
import { HOST } from '../../app/Layout.js';
import type { ContainerAction } from './container-actions.js';

/** Runs one action on one container; removing forces (a running one is stopped first). */
export function runAction(id: string, action: ContainerAction): Promise<{ cli: string }> {
  const params = { host: HOST, id };
  if (action === 'remove') return client.containers.remove({ params, query: { force: 'true' } });
  return client.containers[action]({ params });
}
