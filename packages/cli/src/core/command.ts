import type { Command } from 'commander';
import { openSession, type GlobalOptions, type Session } from './session.js';

/** The root program's options, wherever on the line they were given. */
export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** The connected session of the command being run (context, token, host, --dry-run). */
export function sessionOf(command: Command): Session {
  return openSession(globalOptions(command));
}

/** Repeatable option values (`-l a=b -l c=d`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
