import { randomUUID } from 'node:crypto';
import type { TokenCreate, TokenCreated, TokenView } from '@berth/contract';
import { randomToken, sha256 } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import { atLeast, type Principal } from './principal.js';
import type { TokenRow, TokensRepository } from './tokens-repository.js';

export const TOKEN_PREFIX = 'berth_';

function toView(row: TokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role as TokenView['role'],
    scope: row.scope === 'metrics' ? 'metrics' : 'api',
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}

/** API tokens for the CLI and automation; the secret is shown once and stored hashed. */
export class TokensService {
  constructor(
    private readonly tokens: TokensRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async create(principal: Principal, input: TokenCreate): Promise<TokenCreated> {
    const role = input.role ?? principal.role;
    if (!atLeast(principal.role, role)) {
      throw new AppError(
        403,
        'role_too_high',
        `A token cannot carry more than your own role (${principal.role})`,
        {
          issues: [{ field: 'body.role', message: `must be at most ${principal.role}` }],
        },
      );
    }
    if (input.expiresAt && Date.parse(input.expiresAt) <= this.now()) {
      throw AppError.badRequest(
        'validation_failed',
        'Invalid request: body.expiresAt: must be in the future',
        {
          issues: [{ field: 'body.expiresAt', message: 'must be in the future' }],
        },
      );
    }
    const secret = `${TOKEN_PREFIX}${randomToken()}`;
    const row = await this.tokens.create({
      id: randomUUID(),
      user_id: principal.user.id,
      name: input.name,
      token_hash: sha256(secret),
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      role,
      scope: input.scope ?? 'api',
      expires_at: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
    });
    return { token: toView(row), secret };
  }

  async list(principal: Principal): Promise<TokenView[]> {
    return (await this.tokens.listForUser(principal.user.id)).map(toView);
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    if (!(await this.tokens.deleteForUser(principal.user.id, id))) {
      throw AppError.notFound('token_not_found', `No token "${id}"`);
    }
  }
}
