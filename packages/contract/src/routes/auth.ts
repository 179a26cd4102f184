import {
  LoginRequest,
  Me,
  PasswordChange,
  PasswordConfirm,
  RecoveryCodes,
  SetupRequest,
  SetupStatus,
  TotpEnable,
  TotpSetup,
} from '../auth.js';
import { ErrorBody, NoContent } from '../errors.js';
import { httpRoute } from '../route.js';

/** Creating the first admin: the only change allowed before Berth is set up. */
export const setupRoutes = {
  status: httpRoute({
    method: 'GET',
    path: '/api/setup',
    tags: ['auth'],
    summary: 'Whether the first admin still has to be created',
    permission: 'public',
    beforeSetup: true,
    responses: { 200: SetupStatus },
  }),
  create: httpRoute({
    method: 'POST',
    path: '/api/setup',
    tags: ['auth'],
    summary: 'Create the first admin with the one-time setup token from the server log',
    permission: 'public',
    beforeSetup: true,
    audit: 'setup',
    body: SetupRequest,
    responses: { 201: Me, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
  }),
};

export const authRoutes = {
  login: httpRoute({
    method: 'POST',
    path: '/api/auth/login',
    tags: ['auth'],
    summary: 'Log in; sets the berth_session cookie',
    permission: 'public',
    audit: 'auth.login',
    body: LoginRequest,
    responses: { 200: Me, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
  }),
  logout: httpRoute({
    method: 'POST',
    path: '/api/auth/logout',
    tags: ['auth'],
    summary: 'End this session and clear its cookie',
    permission: 'authenticated',
    allowRestricted: true,
    audit: 'auth.logout',
    responses: { 204: NoContent },
  }),
};

/** The signed-in user's own account. */
export const meRoutes = {
  get: httpRoute({
    method: 'GET',
    path: '/api/me',
    tags: ['me'],
    summary: 'Who you are, your role and hosts',
    permission: 'authenticated',
    allowRestricted: true,
    responses: { 200: Me },
  }),
  changePassword: httpRoute({
    method: 'POST',
    path: '/api/me/password',
    tags: ['me'],
    summary: 'Change your password; your other sessions end',
    permission: 'authenticated',
    allowRestricted: true,
    audit: 'password.change',
    body: PasswordChange,
    responses: { 204: NoContent, 400: ErrorBody, 403: ErrorBody },
  }),
};

/** Two-factor authentication (TOTP) of the signed-in user. */
export const twoFactorRoutes = {
  setup: httpRoute({
    method: 'POST',
    path: '/api/me/2fa/setup',
    tags: ['me'],
    summary: 'Start TOTP enrolment: a secret and otpauth:// URI',
    permission: 'authenticated',
    allowRestricted: true,
    audit: '2fa.setup',
    responses: { 200: TotpSetup, 409: ErrorBody },
  }),
  enable: httpRoute({
    method: 'POST',
    path: '/api/me/2fa/enable',
    tags: ['me'],
    summary: 'Turn 2FA on with a first code; returns ten one-time recovery codes',
    permission: 'authenticated',
    allowRestricted: true,
    audit: '2fa.enable',
    body: TotpEnable,
    responses: { 200: RecoveryCodes, 400: ErrorBody, 409: ErrorBody },
  }),
  disable: httpRoute({
    method: 'POST',
    path: '/api/me/2fa/disable',
    tags: ['me'],
    summary: 'Turn 2FA off (needs your password)',
    permission: 'authenticated',
    audit: '2fa.disable',
    body: PasswordConfirm,
    responses: { 204: NoContent, 403: ErrorBody, 409: ErrorBody },
  }),
  recoveryCodes: httpRoute({
    method: 'POST',
    path: '/api/me/2fa/recovery-codes',
    tags: ['me'],
    summary: 'Replace your recovery codes (needs your password)',
    permission: 'authenticated',
    audit: '2fa.recovery_codes',
    body: PasswordConfirm,
    responses: { 200: RecoveryCodes, 403: ErrorBody, 409: ErrorBody },
  }),
};
