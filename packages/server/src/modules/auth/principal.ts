import type { Role } from '@berth/contract';
import { ROLE_RANK } from '../../http/principal.js';
import type { UserRecord } from '../users/users-repository.js';

export type { Principal, Restriction } from '../../http/principal.js';
export { ROLE_RANK, atLeast, canSeeHost } from '../../http/principal.js';

declare module '../../http/principal.js' {
  /** The principal's user is the whole record, for the services that need more than its id. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- widened by merging
  interface PrincipalUser extends UserRecord {}
}

export function lowerRole(a: Role, b: Role): Role {
  return ROLE_RANK[a] <= ROLE_RANK[b] ? a : b;
}
