import { z } from 'zod';
import { HostId, HostLabel } from './hosts.js';

export const Role = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof Role>;

export const Username = z
  .string()
  .min(3, 'at least 3 characters')
  .max(64, 'at most 64 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]*$/,
    'letters, digits and . _ @ - only, starting with a letter or digit',
  );

/** The server also enforces its configured minimum length (12 by default). */
export const Password = z.string().min(1, 'is required').max(1024, 'at most 1024 characters');

export const SetupStatus = z.object({ required: z.boolean() }).meta({ id: 'SetupStatus' });
export type SetupStatus = z.infer<typeof SetupStatus>;

export const SetupRequest = z
  .strictObject({
    username: Username,
    password: Password,
    setupToken: z.string().min(1, 'is required').max(256),
  })
  .meta({ id: 'SetupRequest' });
export type SetupRequest = z.infer<typeof SetupRequest>;

export const LoginRequest = z
  .strictObject({
    username: z.string().min(1, 'is required').max(64),
    password: Password,
    totp: z
      .string()
      .max(32)
      .optional()
      .describe('A 6-digit authenticator code, or a recovery code, when 2FA is on'),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const UserView = z
  .object({
    id: z.string(),
    username: z.string(),
    role: Role,
    hosts: z.array(HostId).describe('Hosts granted; admins see every host whatever this holds'),
    hostLabels: z
      .array(HostLabel)
      .describe(
        'Host labels granted: every host carrying one of them, including hosts added later',
      ),
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    totpEnabled: z.boolean(),
    createdAt: z.iso.datetime(),
    lastLoginAt: z.iso.datetime().nullable().describe('When the user last signed in'),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof UserView>;

export const Me = z
  .object({
    user: UserView,
    auth: z.enum(['session', 'token']),
    effectiveRole: Role.describe('The role in force: a token may carry less than its owner'),
    restrictions: z
      .array(z.enum(['password_change_required', 'totp_enrolment_required']))
      .describe('What must be done before anything else is allowed'),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const PasswordChange = z.strictObject({
  currentPassword: Password,
  newPassword: Password,
});

export const SessionView = z.object({
  id: z.string(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export const SessionList = z.object({ sessions: z.array(SessionView) }).meta({ id: 'SessionList' });
export type SessionList = z.infer<typeof SessionList>;

export const SessionsEnded = z.object({ ended: z.number().int() }).meta({ id: 'SessionsEnded' });

export const IdParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id: letters, digits, _ and - only'),
});

/**
 * What a token may be used for: `api` (the whole API, as its role allows) or `metrics` (a scrape
 * token: only `GET /metrics`, and nothing else).
 */
export const TokenScope = z.enum(['api', 'metrics']);
export type TokenScope = z.infer<typeof TokenScope>;

export const TokenCreate = z
  .strictObject({
    name: z.string().trim().min(1, 'is required').max(100, 'at most 100 characters'),
    expiresAt: z.iso.datetime({ error: 'must be an ISO 8601 date-time' }).optional(),
    role: Role.optional().describe("Defaults to the owner's role; never higher"),
    scope: TokenScope.optional().describe(
      'api (the default) or metrics: a scrape token that may call only GET /metrics',
    ),
  })
  .meta({ id: 'TokenCreate' });
export type TokenCreate = z.infer<typeof TokenCreate>;

export const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  scope: TokenScope,
  prefix: z.string().describe('The first characters of the secret, to recognise it'),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type TokenView = z.infer<typeof TokenView>;
export const TokenList = z.object({ tokens: z.array(TokenView) }).meta({ id: 'TokenList' });
export type TokenList = z.infer<typeof TokenList>;
export const TokenCreated = z
  .object({
    token: TokenView,
    secret: z.string().describe('Shown once: send as `Authorization: Bearer <secret>`'),
  })
  .meta({ id: 'TokenCreated' });
export type TokenCreated = z.infer<typeof TokenCreated>;

export const TotpSetup = z
  .object({
    secret: z.string().describe('Base32 secret, for manual entry'),
    otpauthUri: z.string().describe('otpauth:// URI, for a QR code'),
  })
  .meta({ id: 'TotpSetup' });
export type TotpSetup = z.infer<typeof TotpSetup>;
export const TotpEnable = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') });
export const RecoveryCodes = z
  .object({ recoveryCodes: z.array(z.string()).describe('Each works once; shown only now') })
  .meta({ id: 'RecoveryCodes' });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;
export const PasswordConfirm = z.strictObject({ password: Password });

export const UserCreate = z
  .strictObject({
    username: Username,
    password: Password,
    role: Role,
    hosts: z.array(HostId).max(1000).optional(),
    hostLabels: z.array(HostLabel).max(100).optional(),
    mustChangePassword: z.boolean().optional(),
  })
  .meta({ id: 'UserCreate' });
export type UserCreate = z.infer<typeof UserCreate>;

export const UserUpdate = z
  .strictObject({
    role: Role.optional(),
    hosts: z.array(HostId).max(1000).optional(),
    hostLabels: z.array(HostLabel).max(100).optional(),
    disabled: z.boolean().optional(),
    password: Password.optional().describe(
      'Resets the password; the user must change it at next login',
    ),
    mustChangePassword: z.boolean().optional(),
  })
  .meta({ id: 'UserUpdate' });
export type UserUpdate = z.infer<typeof UserUpdate>;

export const UserList = z.object({ users: z.array(UserView) }).meta({ id: 'UserList' });
export type UserList = z.infer<typeof UserList>;

export const Preferences = z
  .object({
    showCommands: z
      .boolean()
      .default(true)
      .describe('Show the equivalent docker command of each action'),
    theme: z.enum(['system', 'light', 'dark']).default('system'),
  })
  .meta({ id: 'Preferences' });
export type Preferences = z.infer<typeof Preferences>;

export const PreferencesUpdate = z
  .strictObject({
    showCommands: z.boolean().optional(),
    theme: z.enum(['system', 'light', 'dark']).optional(),
  })
  .meta({ id: 'PreferencesUpdate' });
export type PreferencesUpdate = z.infer<typeof PreferencesUpdate>;
