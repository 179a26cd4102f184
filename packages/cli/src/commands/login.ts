import { hostname } from 'node:os';
import { api, ApiError, createApiClient, type Api, type ApiClient, type Me } from '@berth/contract';
import type { Command } from 'commander';
import { change, printPlan } from '../core/change.js';
import { globalOptions } from '../core/command.js';
import {
  contextNameFor,
  ContextEntry,
  loadConfig,
  saveConfig,
  upsertContext,
} from '../core/config.js';
import { CliError, describeError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { ask, readStdin } from '../core/prompt.js';
import { establishTrust } from '../core/server-trust.js';
import { clientFor, type Session, type Target } from '../core/session.js';
import type { TrustOptions } from '../core/tls.js';
import { trustedFetch } from '../core/transport.js';

interface LoginOptions {
  username?: string;
  passwordStdin?: boolean;
  otp?: string;
  token?: string;
  tokenStdin?: boolean;
  name?: string;
}

/** The name of the token a login makes, so `berth tokens` / the web UI tell where it lives. */
export function cliTokenName(): string {
  return `berth CLI on ${hostname()}`;
}

function serverUrl(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`"${text}" is not a server URL (https://berth.example:8443)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`"${text}": the server URL must be http:// or https://`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * A client that logs in with a session cookie: it keeps the cookie the login sets and sends it
 * with the server's own Origin, as the web UI does (changes made with a cookie need it).
 */
function cookieClient(url: string, trust: TrustOptions): ApiClient<Api> {
  const base = trustedFetch(trust);
  let cookie = '';
  const fetchWithCookie = (async (input: string, init?: RequestInit) => {
    const res = await base(input, init);
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      if (pair.startsWith('berth_session=')) cookie = pair;
    }
    return res;
  }) as typeof fetch;
  return createApiClient(api, {
    baseUrl: url,
    fetch: fetchWithCookie,
    headers: () => ({ origin: new URL(url).origin, ...(cookie ? { cookie } : {}) }),
  });
}

/** Username, password and (when the account has 2FA) a code: asked, or from the flags. */
async function signIn(client: ApiClient<Api>, options: LoginOptions): Promise<Me> {
  const username = options.username ?? (await ask('Username:', { flag: '--username' }));
  const password = options.passwordStdin
    ? (await readStdin()).replace(/\r?\n$/, '')
    : await ask('Password:', { hidden: true, flag: '--password-stdin' });
  if (!username || !password) throw new UsageError('a username and a password are needed');
  const body = { username, password, ...(options.otp ? { totp: options.otp } : {}) };
  try {
    return await client.auth.login({ body });
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'totp_required' || options.otp) throw err;
  }
  const totp = await ask('Authenticator code (or a recovery code):', {
    hidden: true,
    flag: '--otp',
  });
  return client.auth.login({ body: { ...body, totp: totp.trim() } });
}

/** Logs in with the password, makes an API token, ends the session: only the token is kept. */
async function tokenFromPassword(
  url: string,
  trust: TrustOptions,
  options: LoginOptions,
): Promise<{ token: string; tokenId: string; me: Me }> {
  const client = cookieClient(url, trust);
  const me = await signIn(client, options);
  try {
    const created = await client.tokens.create({ body: { name: cliTokenName() } });
    return { token: created.secret, tokenId: created.token.id, me };
  } finally {
    await client.auth.logout().catch((err: unknown) => {
      io.err(`warning: the login session was not ended: ${describeError(err)}`);
    });
  }
}

/** A token given as is: checked (who it belongs to) and its id found by its prefix. */
async function checkToken(
  url: string,
  trust: TrustOptions,
  token: string,
): Promise<{ token: string; tokenId: string | undefined; me: Me }> {
  const target: Target = { context: null, url, token, host: 'local', trust };
  const client = clientFor(target);
  const me = await client.me.get();
  const listed = await client.tokens.list().catch(() => ({ tokens: [] }));
  const mine = listed.tokens.find((t) => t.prefix.length > 0 && token.startsWith(t.prefix));
  return { token, tokenId: mine?.id, me };
}

async function login(urlText: string, options: LoginOptions, command: Command): Promise<void> {
  const globals = globalOptions(command);
  const url = serverUrl(urlText);
  if (options.token && options.tokenStdin)
    throw new UsageError('give the token once: --token or --token-stdin');
  if ((options.token || options.tokenStdin) && (options.username || options.passwordStdin))
    throw new UsageError('--token replaces --username and --password-stdin');
  const name = options.name ?? contextNameFor(url);
  const checked = ContextEntry.shape.name.safeParse(name);
  if (!checked.success)
    throw new UsageError(`--name "${name}": ${checked.error.issues[0]?.message ?? 'invalid'}`);

  const byToken = options.token !== undefined || options.tokenStdin === true;
  const dryTarget: Target = { context: name, url, token: undefined, host: 'local', trust: {} };
  const dry: Session = {
    target: dryTarget,
    host: 'local',
    client: clientFor(dryTarget),
    dryRun: globals.dryRun === true,
    socket: () => {
      throw new CliError('no stream in a login');
    },
  };
  if (dry.dryRun) {
    if (byToken) printPlan({ route: api.me.get });
    else printPlan({ route: api.auth.login });
  }
  await change(
    dry,
    byToken
      ? { route: api.tokens.list }
      : { route: api.tokens.create, input: { body: { name: cliTokenName() } } },
    async () => {
      const trust = await establishTrust(url, globals);
      const got = byToken
        ? await checkToken(url, trust, (options.token ?? (await readStdin())).trim())
        : await tokenFromPassword(url, trust, options);
      if (!got.token) throw new UsageError('the token is empty');
      const entry = ContextEntry.parse({
        name,
        url,
        token: got.token,
        ...(got.tokenId ? { tokenId: got.tokenId } : {}),
        user: got.me.user.username,
        ...(globals.host ? { host: globals.host } : {}),
        ...(trust.caFile ? { caFile: trust.caFile } : {}),
        ...(trust.fingerprint ? { fingerprint: trust.fingerprint } : {}),
      });
      const config = upsertContext(loadConfig(), entry);
      saveConfig({ ...config, currentContext: name });
      io.out(`Logged in to ${url} as ${got.me.user.username} (context "${name}", now current).`);
    },
  );
}

async function logout(options: { force?: boolean }, command: Command): Promise<void> {
  const globals = globalOptions(command);
  const config = loadConfig();
  const name = globals.context ?? process.env.BERTH_CONTEXT ?? config.currentContext;
  if (name === undefined) throw new CliError('no current context: nothing to log out of');
  const entry = config.contexts.find((c) => c.name === name);
  if (!entry) throw new CliError(`no context "${name}" (berth context ls lists them)`);
  if (!entry.token) {
    io.out(`Context "${name}" holds no token: already logged out.`);
    return;
  }
  const token = entry.token;
  const target: Target = {
    context: name,
    url: entry.url,
    token,
    host: entry.host ?? 'local',
    trust: { caFile: entry.caFile, fingerprint: entry.fingerprint },
  };
  const client = clientFor(target);
  const session: Session = {
    target,
    host: target.host,
    client,
    dryRun: globals.dryRun === true,
    socket: () => {
      throw new CliError('no stream in a logout');
    },
  };
  const id = entry.tokenId ?? '<id of this token>';
  await change(session, { route: api.tokens.remove, input: { params: { id } } }, async () => {
    try {
      const tokenId =
        entry.tokenId ??
        (await client.tokens.list()).tokens.find((t) => t.prefix && token.startsWith(t.prefix))?.id;
      if (tokenId === undefined) throw new CliError('the server lists no token matching this one');
      await client.tokens.remove({ params: { id: tokenId } });
    } catch (err) {
      // A token the server no longer knows is as good as revoked.
      const gone = err instanceof ApiError && (err.status === 401 || err.status === 404);
      if (!gone && !options.force) {
        throw new CliError(
          `${describeError(err)}; the token is kept (--force forgets it here anyway)`,
        );
      }
      if (!gone) io.err(`warning: the token was not revoked on the server: ${describeError(err)}`);
    }
    const rest: ContextEntry = { ...entry };
    delete rest.token;
    delete rest.tokenId;
    saveConfig(upsertContext(config, rest));
    io.out(`Logged out of ${entry.url} (context "${name}").`);
  });
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('Log in to a Berth server and make it the current context (keeps a token only)')
    .argument('<url>', 'The server (https://berth.example:8443)')
    .option('-u, --username <name>', 'The username (asked when not given)')
    .option('--password-stdin', 'Read the password from stdin')
    .option('--otp <code>', 'The authenticator code (or a recovery code) when 2FA is on')
    .option('--token <token>', 'Store this API token instead of logging in with a password')
    .option('--token-stdin', 'Read the API token from stdin')
    .option('--name <context>', 'The context name (default: from the URL host)')
    .addHelpText(
      'after',
      "\n-H/--host sets the context's default host; --ca-file and --fingerprint how the server is trusted.",
    )
    .action(login);
  program
    .command('logout')
    .description("Revoke the context's token on the server and forget it")
    .option('--force', 'Forget the token here even if the server cannot be reached')
    .action(logout);
}
