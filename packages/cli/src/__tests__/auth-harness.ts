import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';
import { call } from '../../../../e2e/berth-process.js';
import { waitFor } from '../../../server/src/testing/wait-for.js';
import { ConfigFile } from '../core/config.js';
import { cliMain, type CliWorld } from './cli-harness.js';

/** The CLI's config file in the world's home (where `berth login` writes). */
export function configFileOf(world: CliWorld): string {
  return join(world.home, '.config', 'berth', 'config.yaml');
}

export function readConfigOf(world: CliWorld): { config: ConfigFile; text: string; mode: number } {
  const path = configFileOf(world);
  const text = readFileSync(path, 'utf8');
  return {
    config: ConfigFile.parse(parse(text)),
    text,
    mode: statSync(path).mode & 0o777,
  };
}

/** The status of GET /api/me with this bearer token (401 once it is revoked). */
export async function meStatus(world: CliWorld, token: string): Promise<number> {
  const url = `${world.base}/api/me`;
  const headers = { authorization: `Bearer ${token}` };
  return new Promise((resolve, reject) => {
    const done = (res: { statusCode?: number; resume(): void }): void => {
      res.resume();
      resolve(res.statusCode ?? 0);
    };
    const req = url.startsWith('https:')
      ? httpsGet(url, { headers, rejectUnauthorized: false }, done)
      : httpGet(url, { headers }, done);
    req.on('error', reject);
  });
}

/** A user of the world with a password the test knows, and its session cookie. */
export async function makeUser(
  world: CliWorld,
  username: string,
): Promise<{ username: string; password: string; cookie: string }> {
  const password = `${username} password 123`;
  const made = await call(
    world.base,
    'POST',
    '/api/users',
    { username, password, role: 'operator', mustChangePassword: false },
    world.adminCookie,
  );
  if (made.status !== 201) throw new Error(`user: ${made.status} ${made.body}`);
  const login = await call(world.base, 'POST', '/api/auth/login', { username, password });
  return { username, password, cookie: login.cookie ?? '' };
}

export interface TerminalRun {
  /** What the terminal showed (the CLI's stdout and stderr, and the echo of what was typed). */
  screen(): string;
  /** Resolves once the screen shows `text`. */
  shows(text: string): Promise<void>;
  /** Types on the terminal (`\r` is Enter). */
  type(text: string): void;
  exit: Promise<number | null>;
}

const shellQuote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `berth …` on a real pseudo-terminal (util-linux `script`), so its prompts see a TTY:
 * the test reads the screen and types in answer, as a person would.
 */
export function runInTerminal(args: string[], env: Record<string, string>): TerminalRun {
  const command = [process.execPath, cliMain, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
  child.stderr.on('data', (d: Buffer) => (screen += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    screen: () => screen,
    shows: async (text) => {
      await waitFor(`the terminal to show ${JSON.stringify(text)}`, () =>
        screen.includes(text) ? true : undefined,
      );
    },
    type: (text) => child.stdin.write(text),
    exit: exit.finally(() => child.stdin.destroy()),
  };
}
