export const AGENT_IMAGE: string;
export const AGENT_STATE_DIR: string;
export function sharedLibraries(binary: string): Promise<string[]>;
/** Imports the agent image into the engine at `socketPath`; its image ID. */
export function buildAgentImage(
  socketPath: string,
  options?: { tag?: string; node?: string; bundle?: string },
): Promise<string>;
/** A stand-in for node:20-alpine (node on PATH, busybox, a `node` user); its image ID. */
export function buildNodeBaseImage(
  socketPath: string,
  options: { tag: string; node?: string },
): Promise<string>;
