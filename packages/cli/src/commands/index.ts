import type { Command } from 'commander';
import { registerCompletion } from './completion.js';
import { registerContext } from './context.js';
import { registerGet } from './get.js';
import { registerLogin } from './login.js';
import { registerVersion } from './version.js';

/**
 * Every command group, one file each. Order is the order of `berth --help`. Each group
 * registers its commands on the program and calls the API only through the typed client.
 */
export function registerCommands(program: Command): void {
  registerGet(program);
  registerLogin(program);
  registerContext(program);
  registerVersion(program);
  registerCompletion(program);
}
