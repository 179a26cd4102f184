import { shellQuote } from '@berth/contract';

/**
 * The `docker …` command line equal to what Berth did, shown beside each action's result so a
 * user can repeat it by hand. Berth itself never runs this text (it talks to the Engine API):
 * every argument is quoted, so no value from a user or the engine can escape its word.
 */

/** Any `docker …` command line, shell-quoted; undefined arguments are left out. */
export function dockerCommand(...args: (string | number | undefined)[]): string {
  return ['docker', ...args.filter((a) => a !== undefined).map(String)].map(shellQuote).join(' ');
}
