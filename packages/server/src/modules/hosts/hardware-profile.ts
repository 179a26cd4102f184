import type { HardwareProfile, HardwareProfileName } from '@berth/contract';

/**
 * Berth's capacity rules: the profile a host's hardware puts it in, and how many containers
 * that profile is comfortable with. The facts come from the engine (`/info`) and, for an
 * engine on this machine, the board model (`board-model.ts`).
 */

export interface HardwareFacts {
  cpus: number;
  memoryBytes: number;
  arch: string;
  /** Board model string (device tree or /proc/cpuinfo), where the host has one. */
  model: string | null;
}

const GIB = 1024 ** 3;

/** Container counts each profile is comfortable with (recommended) and can bear (max). */
export const PROFILE_LIMITS: Record<HardwareProfileName, { recommended: number; max: number }> = {
  'raspberry-pi': { recommended: 15, max: 25 },
  'low-end': { recommended: 20, max: 35 },
  medium: { recommended: 50, max: 80 },
  'high-end': { recommended: 100, max: 150 },
  enterprise: { recommended: 250, max: 400 },
};

const RASPBERRY_PI = /raspberry\s*pi/i;

/**
 * Places a host in a profile by its weaker side: 2 CPUs with 64 GiB is still low-end for
 * running many containers. A Raspberry Pi is its own profile (SD-card I/O, thermal limits);
 * one with under 2 GiB gets a smaller allowance still.
 */
export function classifyHardware(facts: HardwareFacts): HardwareProfile {
  const isRaspberryPi = facts.model !== null && RASPBERRY_PI.test(facts.model);
  const profile = isRaspberryPi ? 'raspberry-pi' : profileFor(facts.cpus, facts.memoryBytes);
  let { recommended, max } = PROFILE_LIMITS[profile];
  if (isRaspberryPi && facts.memoryBytes < 2 * GIB) {
    recommended = 8;
    max = 12;
  }
  return {
    cpus: facts.cpus,
    memoryBytes: facts.memoryBytes,
    arch: facts.arch,
    model: facts.model,
    isRaspberryPi,
    profile,
    recommendedContainers: recommended,
    maxContainers: max,
  };
}

function profileFor(cpus: number, memoryBytes: number): HardwareProfileName {
  if (cpus <= 2 || memoryBytes < 4 * GIB) return 'low-end';
  if (cpus <= 4 || memoryBytes < 16 * GIB) return 'medium';
  if (cpus <= 16 || memoryBytes < 64 * GIB) return 'high-end';
  return 'enterprise';
}
