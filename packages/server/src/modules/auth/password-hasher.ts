import argon2 from 'argon2';

/** argon2id with OWASP's baseline cost (19 MiB, 2 passes). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes and checks passwords. For an unknown user it still spends one verification on a dummy
 * hash, so the answer takes as long as for a wrong password and reveals nothing.
 */
export class PasswordHasher {
  private dummy: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      // A malformed stored hash verifies nothing.
      return false;
    }
  }

  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummy ??= this.hash('berth-dummy-password-for-timing');
    await this.verify(await this.dummy, password);
    return false;
  }
}
