import { randomUUID } from 'node:crypto';
import type { LoginRequest, Role, SessionList, TokenScope } from '@berth/contract';
import type { SecurityConfig } from '../../config/config.js';
import type { Authenticator } from '../../http/principal.js';
import { randomToken, sha256 } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { UserRecord, UsersRepository } from '../users/users-repository.js';
import type { KnownDevices } from './known-devices.js';
import type { LoginAttempt, LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';
import { assertPasswordPolicy } from './password-policy.js';
import { lowerRole, type Principal, type Restriction } from './principal.js';
import type { SessionsRepository } from './sessions-repository.js';
import type { TokensRepository } from './tokens-repository.js';
import type { TwoFactorService } from './two-factor-service.js';

export interface ClientMeta {
  ip: string;
  userAgent: string | null;
  /** The known-device cookie the browser sent, if any. */
  deviceCookie?: string;
}

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  secret: string;
  id: string;
  user: UserRecord;
  /** The known-device cookie to set (renewed at every login). */
  deviceCookie: string;
}

export interface AuthServiceDeps {
  users: UsersRepository;
  sessions: SessionsRepository;
  tokens: TokensRepository;
  hasher: PasswordHasher;
  twoFactor: TwoFactorService;
  settings: SettingsService;
  throttle: LoginThrottle;
  devices: KnownDevices;
  security: SecurityConfig;
  now?: () => number;
}

/** Writes of last-seen / last-used times are spaced out so reads do not become writes. */
const TOUCH_INTERVAL_MS = 60_000;

const INVALID_CREDENTIALS = 'Unknown username or wrong password';

/** Logging in and out, sessions, and turning a cookie or bearer token into a Principal. */
export class AuthService implements Authenticator {
  private readonly now: () => number;

  constructor(private readonly deps: AuthServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async login(input: LoginRequest, meta: ClientMeta): Promise<NewSession> {
    const { throttle } = this.deps;
    const user = await this.deps.users.findByUsername(input.username);
    const attempt: LoginAttempt = {
      ip: meta.ip,
      username: input.username,
      deviceId: user ? this.deps.devices.verify(meta.deviceCookie, user.id) : null,
    };
    const wait = throttle.retryAfterSeconds(attempt);
    if (wait > 0) {
      throw new AppError(429, 'too_many_attempts', 'Too many failed logins; try again later', {
        retryAfterSeconds: wait,
      });
    }
    const passwordOk = user
      ? await this.deps.hasher.verify(user.passwordHash, input.password)
      : await this.deps.hasher.verifyAgainstNothing(input.password);
    if (!user || !passwordOk) {
      throttle.fail(attempt);
      throw new AppError(401, 'invalid_credentials', INVALID_CREDENTIALS);
    }
    if (user.totpSecret) {
      if (!input.totp) {
        throw new AppError(401, 'totp_required', 'Enter the code from your authenticator app');
      }
      if (!(await this.deps.twoFactor.checkLoginCode(user, input.totp))) {
        throttle.fail(attempt);
        throw new AppError(401, 'invalid_totp', 'That code is not valid');
      }
    }
    if (user.disabled) throw new AppError(403, 'account_disabled', 'This account is disabled');
    throttle.succeed(attempt);
    return this.startSession(user, meta, attempt.deviceId);
  }

  /** Creates a fresh session (a new id at every login: no fixation). */
  async startSession(
    user: UserRecord,
    meta: ClientMeta,
    deviceId: string | null = null,
  ): Promise<NewSession> {
    const secret = randomToken();
    const id = randomUUID();
    const now = new Date(this.now());
    await this.deps.sessions.create({
      id,
      token_hash: sha256(secret),
      user_id: user.id,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + this.deps.security.sessionMaxMs).toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 512) ?? null,
    });
    await this.deps.users.recordLogin(user.id, now.toISOString());
    return {
      secret,
      id,
      user,
      deviceCookie: this.deps.devices.issue(user.id, deviceId ?? undefined),
    };
  }

  async endSession(sessionId: string): Promise<void> {
    await this.deps.sessions.delete(sessionId);
  }

  async fromSessionCookie(secret: string): Promise<Principal | null> {
    const session = await this.deps.sessions.findByTokenHash(sha256(secret));
    if (!session) return null;
    const now = this.now();
    const idle = now - Date.parse(session.last_seen_at) > this.deps.security.sessionIdleMs;
    if (idle || Date.parse(session.expires_at) <= now) {
      await this.deps.sessions.delete(session.id);
      return null;
    }
    const user = await this.deps.users.findById(session.user_id);
    if (!user || user.disabled) return null;
    if (now - Date.parse(session.last_seen_at) > TOUCH_INTERVAL_MS) {
      await this.deps.sessions.touch(session.id, new Date(now).toISOString());
    }
    return this.principal(user, 'session', session.id, null, user.role, 'api');
  }

  async fromBearerToken(secret: string): Promise<Principal | null> {
    const token = await this.deps.tokens.findByTokenHash(sha256(secret));
    if (!token) return null;
    const now = this.now();
    if (token.expires_at && Date.parse(token.expires_at) <= now) return null;
    const user = await this.deps.users.findById(token.user_id);
    if (!user || user.disabled) return null;
    if (!token.last_used_at || now - Date.parse(token.last_used_at) > TOUCH_INTERVAL_MS) {
      await this.deps.tokens.touch(token.id, new Date(now).toISOString());
    }
    const scope = token.scope === 'metrics' ? 'metrics' : 'api';
    return this.principal(
      user,
      'token',
      null,
      token.id,
      lowerRole(token.role as Role, user.role),
      scope,
    );
  }

  /** Deletes sessions past their absolute or idle timeout. */
  async pruneSessions(): Promise<number> {
    const now = this.now();
    return this.deps.sessions.deleteExpired(
      new Date(now).toISOString(),
      new Date(now - this.deps.security.sessionIdleMs).toISOString(),
    );
  }

  async listSessions(principal: Principal): Promise<SessionList> {
    const rows = await this.deps.sessions.listForUser(principal.user.id);
    return {
      sessions: rows.map((row) => ({
        id: row.id,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        expiresAt: row.expires_at,
        ip: row.ip,
        userAgent: row.user_agent,
        current: row.id === principal.sessionId,
      })),
    };
  }

  async revokeSession(principal: Principal, id: string): Promise<void> {
    if (!(await this.deps.sessions.deleteForUser(principal.user.id, id))) {
      throw AppError.notFound('session_not_found', `No session "${id}"`);
    }
  }

  /** Ends every session of the caller's but the one making the request. */
  async revokeOtherSessions(principal: Principal): Promise<number> {
    return this.deps.sessions.deleteAllForUser(principal.user.id, principal.sessionId ?? undefined);
  }

  /** Changes one's own password; every other session of the user ends. */
  async changePassword(principal: Principal, current: string, next: string): Promise<void> {
    if (!(await this.deps.hasher.verify(principal.user.passwordHash, current))) {
      throw new AppError(403, 'wrong_password', 'The current password is wrong', {
        issues: [{ field: 'body.currentPassword', message: 'is wrong' }],
      });
    }
    assertPasswordPolicy(next, this.deps.security.passwordMinLength, 'body.newPassword');
    if (await this.deps.hasher.verify(principal.user.passwordHash, next)) {
      throw AppError.badRequest(
        'validation_failed',
        'Invalid request: body.newPassword: must differ from the current one',
        {
          issues: [{ field: 'body.newPassword', message: 'must differ from the current one' }],
        },
      );
    }
    await this.deps.users.update(principal.user.id, {
      passwordHash: await this.deps.hasher.hash(next),
      mustChangePassword: false,
    });
    await this.deps.sessions.deleteAllForUser(principal.user.id, principal.sessionId ?? undefined);
  }

  private async principal(
    user: UserRecord,
    via: Principal['via'],
    sessionId: string | null,
    tokenId: string | null,
    role: Role,
    scope: TokenScope,
  ): Promise<Principal> {
    const restrictions: Restriction[] = [];
    if (user.mustChangePassword) restrictions.push('password_change_required');
    if (
      user.role === 'admin' &&
      !user.totpSecret &&
      (await this.deps.settings.get()).require2faForAdmins
    ) {
      restrictions.push('totp_enrolment_required');
    }
    return { user, via, sessionId, tokenId, role, scope, restrictions };
  }
}
