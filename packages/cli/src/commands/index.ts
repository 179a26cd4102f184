import type { Command } from 'commander';
import { registerGet } from './get.js';
import { registerImage } from './image.js';
import { registerApply, registerStack } from './stack.js';
import { registerVersion } from './version.js';

/**
 * Every command group, one file each. Order is the order of `berth --help`. Each group
 * registers its commands on the program and calls the API only through the typed client.
 */
export function registerCommands(program: Command): void {
  registerGet(program);
  registerStack(program);
  registerApply(program);
  registerImage(program);
  registerVersion(program);
}
