import { readFileSync } from 'node:fs';
import type { Health } from '@berth/contract';
import type { Command } from 'commander';
import { globalOptions } from '../core/command.js';
import { CliError, describeError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { printData } from '../core/output.js';
import { clientFor, resolveTarget, type Target } from '../core/session.js';

declare const BERTH_CLI_VERSION: string | undefined;

// One level below the package root both as src/commands/*.ts and dist/commands/*.js; the
// bundle has the version written in at build time instead.
const packageJson = new URL('../../package.json', import.meta.url);

export function cliVersion(): string {
  if (typeof BERTH_CLI_VERSION === 'string') return BERTH_CLI_VERSION;
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** What `version -o json|yaml` prints: the client's version and the server's health answer. */
export interface VersionInfo {
  client: { version: string };
  server: (Health & { url: string }) | null;
}

function targetOrNone(command: Command): Target | null {
  try {
    return resolveTarget(globalOptions(command));
  } catch (err) {
    // No server named anywhere: only the client has a version to tell.
    if (err instanceof CliError && /no Berth server/.test(err.message)) return null;
    throw err;
  }
}

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description("Print the CLI's version and the server's")
    .option('-o, --output <format>', 'json or yaml')
    .action(async (options: { output?: string }, command: Command) => {
      const format = options.output;
      if (format !== undefined && format !== 'json' && format !== 'yaml')
        throw new UsageError(`-o must be json or yaml (got "${format}")`);
      const info: VersionInfo = { client: { version: cliVersion() }, server: null };
      const target = targetOrNone(command);
      let failure: unknown = null;
      if (target) {
        try {
          // Health is public: asked without the token, so a revoked one does not hide it.
          const health = await clientFor({ ...target, token: undefined }).health.get();
          info.server = { url: target.url, ...health };
        } catch (err) {
          failure = err;
        }
      }
      if (format) printData(format, info);
      else {
        io.out(`berth ${info.client.version}`);
        if (info.server) io.out(`server ${info.server.version} (${info.server.url})`);
      }
      if (failure !== null && target)
        throw new CliError(`server ${target.url}: ${describeError(failure)}`);
    });
}
