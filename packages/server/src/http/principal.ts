import type { Role, TokenScope } from '@berth/contract';

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
  /** Host labels granted to the user: every host carrying one of them. */
  hostLabels: string[];
}

/** Who is calling, resolved once per request by the auth hook. */
export interface Principal {
  user: PrincipalUser;
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
  /** The role in force: a token's role, never above its owner's current role. */
  role: Role;
  /** What the credential may be used for: a session is `api`; a scrape token `metrics`. */
  scope: TokenScope;
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

/** The labels each host carries now (EngineHosts): a label grant follows them at once. */
export interface HostLabelLookup {
  /** Undefined for a host that does not exist. */
  labelsOf(hostId: string): readonly string[] | undefined;
}

/**
 * Admins see every host; everyone else the hosts granted to them by id, and the hosts that
 * carry a label granted to them (as labelled now: labelling a host later grants it at once,
 * taking the label off hides it at once).
 */
export function canSeeHost(principal: Principal, hostId: string, hosts: HostLabelLookup): boolean {
  const { user } = principal;
  if (user.role === 'admin' || user.hosts.includes(hostId)) return true;
  if (user.hostLabels.length === 0) return false;
  return (hosts.labelsOf(hostId) ?? []).some((label) => user.hostLabels.includes(label));
}
