import type { Command } from 'commander';
import { registerAgent } from './agent.js';
import { registerAttach } from './attach.js';
import { registerAudit } from './audit.js';
import { registerCompletion } from './completion.js';
import { registerContext } from './context.js';
import { registerCp } from './cp.js';
import { registerDescribe } from './describe.js';
import { registerExec } from './exec.js';
import { registerGet } from './get.js';
import { registerImage } from './image.js';
import { registerLifecycle } from './lifecycle.js';
import { registerLogin } from './login.js';
import { registerLogs } from './logs.js';
import { registerNetwork } from './network.js';
import { registerRun } from './run.js';
import { registerApply, registerStack } from './stack.js';
import { registerStats } from './stats.js';
import { registerPort, registerTop } from './top-port.js';
import { registerVersion } from './version.js';
import { registerVolume } from './volume.js';

/**
 * Every command group, one file each. Order is the order of `berth --help`. Each group
 * registers its commands on the program and calls the API only through the typed client.
 */
export function registerCommands(program: Command): void {
  registerLogin(program);
  registerContext(program);
  registerGet(program);
  registerDescribe(program);
  registerRun(program);
  registerLifecycle(program);
  registerLogs(program);
  registerExec(program);
  registerAttach(program);
  registerCp(program);
  registerStats(program);
  registerTop(program);
  registerPort(program);
  registerNetwork(program);
  registerVolume(program);
  registerStack(program);
  registerApply(program);
  registerImage(program);
  registerAudit(program);
  registerAgent(program);
  registerVersion(program);
  registerCompletion(program);
}
