import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { CliError } from './errors.js';

/**
 * One Berth server the CLI talks to, as kubectl's contexts: where it is, the API token (never
 * a password), the host commands act on by default, and how to trust a self-signed server.
 */
export const ContextEntry = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, 'letters, digits and _ . @ -'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }),
  token: z.string().optional(),
  /** The server's id of that token, so `berth logout` can revoke exactly it. */
  tokenId: z.string().optional(),
  /** The user the token belongs to (shown by `context ls`). */
  user: z.string().optional(),
  /** The host commands act on when no --host is given (kubectl's namespace). */
  host: z.string().optional(),
  /** A PEM file of the CA (or the certificate itself) that signed the server's certificate. */
  caFile: z.string().optional(),
  /** SHA-256 fingerprint of the server's certificate, pinned in place of a CA. */
  fingerprint: z.string().optional(),
});
export type ContextEntry = z.infer<typeof ContextEntry>;

export const ConfigFile = z.strictObject({
  currentContext: z.string().optional(),
  contexts: z.array(ContextEntry).default([]),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

/** `BERTH_CONFIG`, else `$XDG_CONFIG_HOME/berth/config.yaml`, else `~/.config/berth/config.yaml`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BERTH_CONFIG) return env.BERTH_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'berth', 'config.yaml');
}

export function loadConfig(path = configPath()): ConfigFile {
  if (!existsSync(path)) return { contexts: [] };
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (err) {
    throw new CliError(`${path} is not valid YAML: ${(err as Error).message}`);
  }
  const parsed = ConfigFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/** Writes the file whole (a temporary file renamed over it), readable by its owner only. */
export function saveConfig(config: ConfigFile, path = configPath()): void {
  // Only a folder made here is narrowed to its owner (not an existing ~/.config).
  const made = mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (made !== undefined) chmodSync(dirname(path), 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, stringify(config), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function findContext(config: ConfigFile, name: string): ContextEntry | undefined {
  return config.contexts.find((c) => c.name === name);
}

/** Adds the context, or replaces the one of that name (in its place). */
export function upsertContext(config: ConfigFile, entry: ContextEntry): ConfigFile {
  const valid = ContextEntry.parse(entry);
  const at = config.contexts.findIndex((c) => c.name === valid.name);
  const contexts = [...config.contexts];
  if (at < 0) contexts.push(valid);
  else contexts[at] = valid;
  return { ...config, contexts };
}

/** Drops the context of that name; the current one is then none. */
export function removeContext(config: ConfigFile, name: string): ConfigFile {
  return {
    ...config,
    contexts: config.contexts.filter((c) => c.name !== name),
    currentContext: config.currentContext === name ? undefined : config.currentContext,
  };
}

/** The context of that name, or a CliError saying where contexts are listed. */
export function requireContext(config: ConfigFile, name: string): ContextEntry {
  const entry = findContext(config, name);
  if (!entry)
    throw new CliError(`no context "${name}" in ${configPath()} (berth context ls lists them)`);
  return entry;
}

/** A context name from a server URL: its host, and the port when not the scheme's default. */
export function contextNameFor(url: string): string {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '').replace(/[^A-Za-z0-9_.@-]/g, '-');
  const name = port ? `${host}-${port}` : host;
  return /^[A-Za-z0-9]/.test(name) ? name.slice(0, 64) : `berth-${name}`.slice(0, 64);
}
