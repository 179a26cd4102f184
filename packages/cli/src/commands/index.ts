import type { Command } from 'commander';
import { registerGet } from './get.js';
import { registerLifecycle } from './lifecycle.js';
import { registerNetwork } from './network.js';
import { registerRun } from './run.js';
import { registerVolume } from './volume.js';
import { registerVersion } from './version.js';

/**
 * Every command group, one file each. Order is the order of `berth --help`. Each group
 * registers its commands on the program and calls the API only through the typed client.
 */
export function registerCommands(program: Command): void {
  registerGet(program);
  registerRun(program);
  registerLifecycle(program);
  registerNetwork(program);
  registerVolume(program);
  registerVersion(program);
}
