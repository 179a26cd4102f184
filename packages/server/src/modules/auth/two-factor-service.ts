import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../../core/crypto.js';
import { sha256 } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import type { UserRecord, UsersRepository } from '../users/users-repository.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Principal } from './principal.js';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.js';

const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Berth';

function newRecoveryCode(): string {
  const raw = randomBytes(8).toString('hex');
  return `${raw.slice(0, 5)}-${raw.slice(5, 10)}`;
}

function normaliseRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/\s+/g, '');
}

/** TOTP enrolment, verification, recovery codes. Secrets are sealed at rest. */
export class TwoFactorService {
  constructor(
    private readonly users: UsersRepository,
    private readonly box: SecretBox,
    private readonly hasher: PasswordHasher,
    private readonly now: () => number = Date.now,
  ) {}

  async beginEnrolment(principal: Principal): Promise<{ secret: string; otpauthUri: string }> {
    if (principal.user.totpSecret) {
      throw AppError.conflict('totp_already_enabled', 'Two-factor authentication is already on');
    }
    const secret = newTotpSecret();
    await this.users.update(principal.user.id, { totpPendingSecret: this.box.encrypt(secret) });
    return { secret, otpauthUri: otpauthUri(ISSUER, principal.user.username, secret) };
  }

  /** Turns 2FA on once a code from the new secret checks out; returns fresh recovery codes. */
  async enable(principal: Principal, code: string): Promise<string[]> {
    const user = principal.user;
    if (user.totpSecret)
      throw AppError.conflict('totp_already_enabled', 'Two-factor authentication is already on');
    if (!user.totpPendingSecret) {
      throw AppError.conflict('totp_not_started', 'Start enrolment first (POST /api/me/2fa/setup)');
    }
    const secret = this.box.decrypt(user.totpPendingSecret);
    const step = verifyTotp(secret, code, this.now(), null);
    if (step === null) {
      throw AppError.badRequest('invalid_totp', 'That code is not valid', {
        issues: [{ field: 'body.code', message: 'does not match the authenticator' }],
      });
    }
    await this.users.update(user.id, {
      totpSecret: user.totpPendingSecret,
      totpPendingSecret: null,
      totpLastStep: step,
    });
    return this.issueRecoveryCodes(user.id);
  }

  async disable(principal: Principal, password: string): Promise<void> {
    await this.confirmPassword(principal, password);
    if (!principal.user.totpSecret)
      throw AppError.conflict('totp_not_enabled', 'Two-factor authentication is off');
    await this.users.update(principal.user.id, {
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: null,
    });
    await this.users.replaceRecoveryCodes(principal.user.id, []);
  }

  async regenerateRecoveryCodes(principal: Principal, password: string): Promise<string[]> {
    await this.confirmPassword(principal, password);
    if (!principal.user.totpSecret)
      throw AppError.conflict('totp_not_enabled', 'Two-factor authentication is off');
    return this.issueRecoveryCodes(principal.user.id);
  }

  /** A 6-digit code (once per time step) or an unused recovery code (once ever). */
  async checkLoginCode(user: UserRecord, code: string): Promise<boolean> {
    if (!user.totpSecret) return false;
    const trimmed = code.trim();
    if (/^\d{6}$/.test(trimmed)) {
      const step = verifyTotp(
        this.box.decrypt(user.totpSecret),
        trimmed,
        this.now(),
        user.totpLastStep,
      );
      return step !== null && (await this.users.claimTotpStep(user.id, step));
    }
    return this.users.useRecoveryCode(user.id, sha256(normaliseRecoveryCode(trimmed)));
  }

  private async issueRecoveryCodes(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.users.replaceRecoveryCodes(
      userId,
      codes.map((c) => sha256(c)),
    );
    return codes;
  }

  private async confirmPassword(principal: Principal, password: string): Promise<void> {
    if (!(await this.hasher.verify(principal.user.passwordHash, password))) {
      throw new AppError(403, 'wrong_password', 'The password is wrong', {
        issues: [{ field: 'body.password', message: 'is wrong' }],
      });
    }
  }
}
