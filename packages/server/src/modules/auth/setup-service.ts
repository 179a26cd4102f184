import { randomUUID } from 'node:crypto';
import type { SetupRequest } from '@berth/contract';
import { constantTimeEqual, randomToken } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import type { SetupGate } from '../../http/principal.js';
import type { UserRecord, UsersRepository } from '../users/users-repository.js';
import type { PasswordHasher } from './password-hasher.js';
import { assertPasswordPolicy } from './password-policy.js';

/**
 * First run: until an admin exists, only health and setup answer. Claiming the instance needs
 * the one-time setup token printed in the server log (or preset by BERTH_SETUP_TOKEN), so a
 * stranger on the network cannot take a fresh instance.
 */
export class SetupService implements SetupGate {
  private done = false;
  readonly setupToken: string;

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly passwordMinLength: number,
    presetToken: string | null,
  ) {
    this.setupToken = presetToken ?? randomToken(24);
  }

  /** Whether setup is still needed. Once an admin exists it never is again. */
  async required(): Promise<boolean> {
    if (this.done) return false;
    this.done = (await this.users.countAdmins({ enabledOnly: false })) > 0;
    return !this.done;
  }

  async setup(input: SetupRequest): Promise<UserRecord> {
    if (!(await this.required())) throw AppError.conflict('setup_done', 'Berth is already set up');
    if (!constantTimeEqual(input.setupToken, this.setupToken)) {
      throw new AppError(
        403,
        'invalid_setup_token',
        'The setup token is wrong: it is printed in the server log',
        {
          issues: [{ field: 'body.setupToken', message: 'does not match' }],
        },
      );
    }
    assertPasswordPolicy(input.password, this.passwordMinLength, 'body.password');
    const id = randomUUID();
    await this.users.create({
      id,
      username: input.username,
      passwordHash: await this.hasher.hash(input.password),
      role: 'admin',
      mustChangePassword: false,
      hosts: [],
      hostLabels: [],
    });
    this.done = true;
    const user = await this.users.findById(id);
    if (!user) throw new Error('the admin just created is missing');
    return user;
  }
}
