import type { Role } from '@berth/contract';

/** What must be done before anything else is allowed. */
export type Restriction = 'password_change_required' | 'totp_enrolment_required';

/**
 * The signed-in user as the HTTP layer needs it. The module that authenticates widens it to
 * its whole user record (declaration merging, as Fastify's own decorations are typed), so
 * routes and services get that record while http/ knows nothing of modules/.
 */
export interface PrincipalUser {
  id: string;
  username: string;
  /** The user's own role (a token may carry less: see `Principal.role`). */
  role: Role;
  /** Hosts granted to the user. */
  hosts: string[];
}

/** Who is calling, resolved once per request by the auth hook. */
export interface Principal {
  user: PrincipalUser;
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
  /** The role in force: a token's role, never above its owner's current role. */
  role: Role;
  restrictions: Restriction[];
}

/** Resolves the credentials of a request to a principal: what the auth hook asks of auth. */
export interface Authenticator {
  /** The principal of an API token, or null when it is invalid, expired or revoked. */
  fromBearerToken(token: string): Promise<Principal | null>;
  /** The principal of a session cookie, or null when the session is over. */
  fromSessionCookie(secret: string): Promise<Principal | null>;
}

/** Whether the first admin still has to be created (every route but health and setup waits). */
export interface SetupGate {
  required(): Promise<boolean>;
}

export const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function atLeast(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

/** Admins see every host; everyone else the hosts granted to them. */
export function canSeeHost(principal: Principal, hostId: string): boolean {
  return principal.user.role === 'admin' || principal.user.hosts.includes(hostId);
}
