import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { io } from '../core/io.js';

declare const BERTH_CLI_VERSION: string | undefined;

// One level below the package root both as src/commands/*.ts and dist/commands/*.js; the
// bundle has the version written in at build time instead.
const packageJson = new URL('../../package.json', import.meta.url);

export function cliVersion(): string {
  if (typeof BERTH_CLI_VERSION === 'string') return BERTH_CLI_VERSION;
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('Print the CLI version')
    .action(() => {
      io.out(`berth ${cliVersion()}`);
    });
}
