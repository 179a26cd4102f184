import type { LoginRequest, Me, SetupRequest } from '@berth/contract';
import { toUserView } from '../users/users-service.js';
import type { AuthService, ClientMeta, NewSession } from './auth-service.js';
import type { Principal } from './principal.js';
import type { SetupService } from './setup-service.js';

/** A session just started: its cookies to set, who the request now is, and what it answers. */
export interface SignedIn {
  session: NewSession;
  principal: Principal | null;
  me: Me;
}

/** What `GET /api/me` answers for a principal. */
export function meOf(principal: Principal): Me {
  return {
    user: toUserView(principal.user),
    auth: principal.via,
    effectiveRole: principal.role,
    restrictions: principal.restrictions,
  };
}

/** Creating the first admin, logging in and out: each one call of the routes. */
export class SignInService {
  constructor(
    private readonly auth: AuthService,
    private readonly setup: SetupService,
  ) {}

  setupRequired(): Promise<boolean> {
    return this.setup.required();
  }

  /** Creates the first admin and signs them in. */
  async createFirstAdmin(input: SetupRequest, meta: ClientMeta): Promise<SignedIn> {
    const user = await this.setup.setup(input);
    const session = await this.auth.startSession(user, meta);
    const principal: Principal = {
      user,
      via: 'session',
      sessionId: session.id,
      tokenId: null,
      role: 'admin',
      scope: 'api',
      restrictions: [],
    };
    return { session, principal, me: meOf(principal) };
  }

  async login(input: LoginRequest, meta: ClientMeta): Promise<SignedIn> {
    const session = await this.auth.login(input, meta);
    const principal = await this.auth.fromSessionCookie(session.secret);
    const me: Me = {
      user: toUserView(session.user),
      auth: 'session',
      effectiveRole: session.user.role,
      restrictions: principal?.restrictions ?? [],
    };
    return { session, principal, me };
  }

  /** Ends the session making the request (a token has none to end). */
  async logout(principal: Principal): Promise<void> {
    if (principal.sessionId) await this.auth.endSession(principal.sessionId);
  }
}
