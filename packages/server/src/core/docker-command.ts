/**
 * The `docker …` command line equal to what Berth did, shown beside each action's result so a
 * user can repeat it by hand. Berth itself never runs this text (it talks to the Engine API):
 * every argument is quoted, so no value from a user or the engine can escape its word.
 */

/** Characters no POSIX shell treats specially, so a word made only of them needs no quotes. */
const SHELL_SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;

export function shellQuote(arg: string): string {
  if (SHELL_SAFE.test(arg)) return arg;
  // Within single quotes only the closing quote is special, so an embedded quote ends the
  // quoted part, adds an escaped quote, and starts a new quoted part.
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Any `docker …` command line, shell-quoted; undefined arguments are left out. */
export function dockerCommand(...args: (string | number | undefined)[]): string {
  return ['docker', ...args.filter((a) => a !== undefined).map(String)].map(shellQuote).join(' ');
}
