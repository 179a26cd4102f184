import type { Command } from 'commander';

/** One command of the program as completion sees it: names, subcommands, flags, arguments. */
export interface CommandNode {
  /** The canonical names from the root (`['get', 'containers']`; the root is `[]`). */
  path: string[];
  /** Its name and aliases. */
  names: string[];
  subcommands: CommandNode[];
  /** Every flag it takes, its own and the program's (`--output`, `-o`). */
  flags: string[];
  /** The flags of those that take a value (the next word is the value, not a command). */
  valueFlags: string[];
  /** The names of its arguments (`container`, `names`), empty when it takes none. */
  arguments: string[];
}

function flagsOf(command: Command): { flags: string[]; valueFlags: string[] } {
  const help = command.createHelp();
  const flags: string[] = [];
  const valueFlags: string[] = [];
  for (const option of help.visibleOptions(command)) {
    const spelled = [option.long, option.short].filter((f): f is string => typeof f === 'string');
    flags.push(...spelled);
    if (option.required || option.optional) valueFlags.push(...spelled);
  }
  return { flags, valueFlags };
}

/**
 * The command tree of the program, from commander itself, so the completion scripts follow
 * every command a group registers. The program's own options count for every command (they
 * are recognised anywhere on the line).
 */
export function commandTree(program: Command): CommandNode {
  const root = flagsOf(program);
  const visit = (command: Command, path: string[]): CommandNode => {
    const own = path.length === 0 ? { flags: [], valueFlags: [] } : flagsOf(command);
    const help = command.createHelp();
    return {
      path,
      names: [command.name(), ...command.aliases()],
      subcommands: help
        .visibleCommands(command)
        .filter((c) => c.name() !== 'help')
        .map((c) => visit(c, [...path, c.name()])),
      flags: [...new Set([...own.flags, ...root.flags])],
      valueFlags: [...new Set([...own.valueFlags, ...root.valueFlags])],
      arguments: command.registeredArguments.map((a) => a.name()),
    };
  };
  return visit(program, []);
}

/** Where the words typed so far lead: the command, and whether the last one awaits a value. */
export interface CompletionPoint {
  node: CommandNode;
  /** The value flag the word being completed is the value of, if it is one. */
  valueOf: string | null;
  /** The arguments given to the command so far (not flags, not their values). */
  given: string[];
}

/** Follows the typed words (after `berth`, before the one being completed) down the tree. */
export function locate(tree: CommandNode, words: readonly string[]): CompletionPoint {
  let node = tree;
  let valueOf: string | null = null;
  const given: string[] = [];
  for (const word of words) {
    if (valueOf !== null) {
      valueOf = null;
      continue;
    }
    if (word.startsWith('-')) {
      if (!word.includes('=') && node.valueFlags.includes(word)) valueOf = word;
      continue;
    }
    const sub = node.subcommands.find((s) => s.names.includes(word));
    if (sub && given.length === 0) node = sub;
    else given.push(word);
  }
  return { node, valueOf, given };
}
