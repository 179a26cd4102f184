import { call } from '../../../../e2e/berth-process.js';
import type { CliWorld } from './cli-harness.js';

/**
 * A user of this role granted the local host, logged in: its token. (CliWorld.userToken makes
 * one with no host, whom every host route answers 404 before the role is even looked at.)
 */
export async function hostUserToken(
  world: CliWorld,
  username: string,
  role: 'operator' | 'viewer',
): Promise<string> {
  const password = `${username} password 123`;
  const made = await call(
    world.base,
    'POST',
    '/api/users',
    { username, password, role, hosts: ['local'], mustChangePassword: false },
    world.adminCookie,
  );
  if (made.status !== 201) throw new Error(`user: ${made.status} ${made.body}`);
  const login = await call(world.base, 'POST', '/api/auth/login', { username, password });
  return world.tokenFor(login.cookie ?? '', `${username} token`);
}
