import type { Command } from 'commander';
import { z } from 'zod';
import { globalOptions } from '../core/command.js';
import {
  configPath,
  ContextEntry,
  loadConfig,
  removeContext,
  requireContext,
  saveConfig,
  upsertContext,
  type ConfigFile,
} from '../core/config.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { parseOutputFormat, printList, type Column } from '../core/output.js';
import { confirm } from '../core/prompt.js';
import { normaliseFingerprint } from '../core/tls.js';

/** A context as `context ls -o json|yaml` prints it: everything but the token itself. */
export const ContextView = z.object({
  name: z.string(),
  url: z.string(),
  current: z.boolean(),
  loggedIn: z.boolean(),
  user: z.string().optional(),
  host: z.string().optional(),
  caFile: z.string().optional(),
  fingerprint: z.string().optional(),
});
export type ContextView = z.infer<typeof ContextView>;
export const ContextList = z.object({
  currentContext: z.string().nullable(),
  contexts: z.array(ContextView),
});
export type ContextList = z.infer<typeof ContextList>;

const columns: Column<ContextView>[] = [
  { header: 'CURRENT', value: (c) => (c.current ? '*' : '') },
  { header: 'NAME', value: (c) => c.name },
  { header: 'URL', value: (c) => c.url, shrink: true },
  { header: 'HOST', value: (c) => c.host ?? 'local' },
  { header: 'USER', value: (c) => (c.loggedIn ? (c.user ?? '?') : '(logged out)') },
  {
    header: 'TRUST',
    value: (c) => (c.fingerprint ? 'pinned' : c.caFile ? 'ca-file' : ''),
    wide: true,
  },
];

export function contextList(config: ConfigFile, current: string | undefined): ContextList {
  return {
    currentContext: current ?? null,
    contexts: config.contexts.map((c) => ({
      name: c.name,
      url: c.url,
      current: c.name === current,
      loggedIn: c.token !== undefined,
      ...(c.user ? { user: c.user } : {}),
      ...(c.host ? { host: c.host } : {}),
      ...(c.caFile ? { caFile: c.caFile } : {}),
      ...(c.fingerprint ? { fingerprint: c.fingerprint } : {}),
    })),
  };
}

/** A change of the local file: under --dry-run said, not written. */
function write(command: Command, config: ConfigFile, said: string): void {
  if (globalOptions(command).dryRun) {
    io.out(`(dry run) ${said}: ${configPath()} is left as it is`);
    return;
  }
  saveConfig(config);
  io.out(said);
}

function parsed(entry: unknown): ContextEntry {
  const result = ContextEntry.safeParse(entry);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new UsageError(`${issue?.path.join('.') || 'context'}: ${issue?.message ?? 'invalid'}`);
}

export function registerContext(program: Command): void {
  const context = program
    .command('context')
    .alias('contexts')
    .description('The Berth servers the CLI knows (kept in ~/.config/berth/config.yaml)');

  context
    .command('ls')
    .alias('list')
    .description('List the contexts; * marks the current one')
    .option('-o, --output <format>', 'table, wide, json, yaml or name')
    .action((options: { output?: string }, command: Command) => {
      const format = parseOutputFormat(options.output);
      const config = loadConfig();
      const current =
        globalOptions(command).context ?? process.env.BERTH_CONTEXT ?? config.currentContext;
      const list = contextList(config, current);
      printList(format, list, list.contexts, columns, (c) => `context/${c.name}`);
    });

  context
    .command('current')
    .description('Print the name of the current context')
    .action((_options: unknown, command: Command) => {
      const config = loadConfig();
      const current =
        globalOptions(command).context ?? process.env.BERTH_CONTEXT ?? config.currentContext;
      if (current === undefined)
        throw new CliError('no current context (berth context use <name>)');
      io.out(requireContext(config, current).name);
    });

  context
    .command('use')
    .description('Make a context the current one')
    .argument('<name>', 'The context')
    .action((name: string, _options: unknown, command: Command) => {
      const config = loadConfig();
      requireContext(config, name);
      write(command, { ...config, currentContext: name }, `Switched to context "${name}".`);
    });

  context
    .command('add')
    .description('Add (or replace) a context by hand; `berth login` makes one for you')
    .argument('<name>', 'The context name')
    .requiredOption('--url <url>', 'The server (https://berth.example:8443)')
    .option('--token <token>', 'An API token (stored as is, not checked)')
    .addHelpText(
      'after',
      '\n-H/--host sets its default host; --ca-file and --fingerprint its trust.',
    )
    .action((name: string, options: { url: string; token?: string }, command: Command) => {
      const globals = globalOptions(command);
      const config = loadConfig();
      const entry = parsed({
        name,
        url: options.url.replace(/\/+$/, ''),
        ...(options.token ? { token: options.token } : {}),
        ...(globals.host ? { host: globals.host } : {}),
        ...(globals.caFile ? { caFile: globals.caFile } : {}),
        ...(globals.fingerprint ? { fingerprint: normaliseFingerprint(globals.fingerprint) } : {}),
      });
      const next = upsertContext(config, entry);
      write(
        command,
        config.currentContext === undefined ? { ...next, currentContext: name } : next,
        `Context "${name}" added.`,
      );
    });

  context
    .command('rm')
    .alias('remove')
    .description('Forget contexts here (their tokens stay valid: `berth logout` revokes one)')
    .argument('<names...>', 'The contexts')
    .option('-y, --yes', 'Do not ask')
    .action(async (names: string[], options: { yes?: boolean }, command: Command) => {
      let config = loadConfig();
      for (const name of names) requireContext(config, name);
      if (!(await confirm(`Remove the context(s) ${names.join(', ')}?`, { yes: options.yes })))
        throw new CliError('nothing removed');
      for (const name of names) config = removeContext(config, name);
      write(command, config, `Removed ${names.map((n) => `"${n}"`).join(', ')}.`);
    });

  context
    .command('set-host')
    .description("Set the host a context's commands act on by default (-H overrides it)")
    .argument('<host>', 'The host id (berth get hosts)')
    .argument('[context]', 'The context (default: the current one)')
    .action((host: string, name: string | undefined, _options: unknown, command: Command) => {
      const config = loadConfig();
      const chosen =
        name ??
        globalOptions(command).context ??
        process.env.BERTH_CONTEXT ??
        config.currentContext;
      if (chosen === undefined) throw new UsageError('no current context: name one');
      const entry = requireContext(config, chosen);
      write(
        command,
        upsertContext(config, { ...entry, host }),
        `Context "${chosen}" now acts on host "${host}".`,
      );
    });
}
