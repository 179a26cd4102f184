import type { Role } from '@berth/contract';
import type { UserRecord } from '../users/users-repository.js';

export type Restriction = 'password_change_required' | 'totp_enrolment_required';

/** Who is calling, resolved once per request by the auth hook. */
export interface Principal {
  user: UserRecord;
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
  /** The role in force: a token's role, never above its owner's current role. */
  role: Role;
  restrictions: Restriction[];
}

export const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function atLeast(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export function lowerRole(a: Role, b: Role): Role {
  return ROLE_RANK[a] <= ROLE_RANK[b] ? a : b;
}

/** Admins see every host; everyone else the hosts granted to them. */
export function canSeeHost(principal: Principal, hostId: string): boolean {
  return principal.user.role === 'admin' || principal.user.hosts.includes(hostId);
}
