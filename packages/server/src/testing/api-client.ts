import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '@berth/contract';
import { TEST_SETUP_TOKEN } from './test-app.js';

export const ADMIN = { username: 'admin', password: 'correct horse battery' };
export const SAME_ORIGIN = 'http://localhost:80';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Calls the app as one caller: anonymous, a browser session (cookie + Origin), or a token. */
export class ApiClient {
  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = {},
    readonly remoteAddress = '127.0.0.1',
  ) {}

  request(
    method: Method,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const options: InjectOptions = {
      method,
      url,
      headers: { ...this.headers, ...headers },
      remoteAddress: this.remoteAddress,
    };
    if (body !== undefined) options.payload = body as InjectOptions['payload'];
    return this.app.inject(options);
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.request('GET', url);
  }

  post(url: string, body?: unknown): Promise<LightMyRequestResponse> {
    return this.request('POST', url, body ?? {});
  }

  patch(url: string, body: unknown): Promise<LightMyRequestResponse> {
    return this.request('PATCH', url, body);
  }

  delete(url: string): Promise<LightMyRequestResponse> {
    return this.request('DELETE', url);
  }

  withHeaders(headers: Record<string, string>): ApiClient {
    return new ApiClient(this.app, { ...this.headers, ...headers }, this.remoteAddress);
  }

  from(remoteAddress: string): ApiClient {
    return new ApiClient(this.app, this.headers, remoteAddress);
  }
}

export function sessionCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'berth_session');
  if (!cookie) throw new Error(`no session cookie in the answer (${res.statusCode} ${res.body})`);
  return cookie.value;
}

export function browser(app: FastifyInstance, cookie: string): ApiClient {
  return new ApiClient(app, { cookie: `berth_session=${cookie}`, origin: SAME_ORIGIN });
}

export function bearer(app: FastifyInstance, secret: string): ApiClient {
  return new ApiClient(app, { authorization: `Bearer ${secret}` });
}

/** Creates the first admin and returns their browser session. */
export async function setupAdmin(app: FastifyInstance): Promise<ApiClient> {
  const res = await new ApiClient(app).post('/api/setup', {
    ...ADMIN,
    setupToken: TEST_SETUP_TOKEN,
  });
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
  return browser(app, sessionCookieOf(res));
}

export async function login(
  app: FastifyInstance,
  username: string,
  password: string,
  totp?: string,
): Promise<ApiClient> {
  const res = await new ApiClient(app).post('/api/auth/login', {
    username,
    password,
    ...(totp ? { totp } : {}),
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return browser(app, sessionCookieOf(res));
}

/** Has the admin create a user, then signs that user in. */
export async function userSession(
  admin: ApiClient,
  username: string,
  role: Role,
  hosts: string[] = ['local'],
): Promise<ApiClient> {
  const password = `${username}-password-long`;
  const res = await admin.post('/api/users', { username, password, role, hosts });
  if (res.statusCode !== 201) throw new Error(`user create failed: ${res.statusCode} ${res.body}`);
  return login(admin.app, username, password);
}

/** A bearer-token client for the session's user (role defaults to the user's). */
export async function tokenFor(session: ApiClient, name = 'test', role?: Role): Promise<ApiClient> {
  const res = await session.post('/api/me/tokens', { name, ...(role ? { role } : {}) });
  if (res.statusCode !== 201) throw new Error(`token create failed: ${res.statusCode} ${res.body}`);
  return bearer(session.app, res.json<{ secret: string }>().secret);
}
