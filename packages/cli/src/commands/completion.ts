import type { Command } from 'commander';
import { commandTree, locate, type CommandNode } from '../core/command-tree.js';
import { loadConfig } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { OUTPUT_FORMATS } from '../core/output.js';
import { openSession, type GlobalOptions } from '../core/session.js';
import { bashScript, fishScript, zshScript } from './completion-scripts.js';

const SHELLS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;
type Shell = keyof typeof SHELLS;

/** A dynamic completion: the values of one kind, read when the user presses tab. */
type ValueKind = 'contexts' | 'containers' | 'hosts' | 'formats' | 'shells';

function kindOfFlag(flag: string): ValueKind | null {
  if (flag === '--context') return 'contexts';
  if (flag === '-H' || flag === '--host') return 'hosts';
  if (flag === '-o' || flag === '--output') return 'formats';
  return null;
}

function kindOfArgument(node: CommandNode, index: number): ValueKind | null {
  const [group, sub] = node.path;
  const argument = node.arguments[Math.min(index, node.arguments.length - 1)] ?? '';
  if (group === 'context') {
    if (sub === 'set-host') return index === 0 ? 'hosts' : 'contexts';
    return sub === 'use' || sub === 'rm' ? 'contexts' : null;
  }
  if (group === 'completion') return 'shells';
  if (/container/.test(argument) || group === 'container' || group === 'containers')
    return 'containers';
  if (group === 'get' && sub === 'containers') return 'containers';
  if (/^hosts?$/.test(argument)) return 'hosts';
  return null;
}

/** The global options written among the words (so `--context x` completes from x). */
function typedGlobals(words: readonly string[]): GlobalOptions {
  const options: GlobalOptions = {};
  words.forEach((word, i) => {
    const next = words[i + 1];
    if (word === '--context' && next) options.context = next;
    if ((word === '-H' || word === '--host') && next) options.host = next;
  });
  return options;
}

async function valuesOf(kind: ValueKind, words: readonly string[]): Promise<string[]> {
  switch (kind) {
    case 'formats':
      return [...OUTPUT_FORMATS];
    case 'shells':
      return Object.keys(SHELLS);
    case 'contexts':
      return loadConfig().contexts.map((c) => c.name);
    case 'containers': {
      const session = openSession(typedGlobals(words));
      const answer = await session.client.containers.list({ params: { host: session.host } });
      return answer.containers.map((c) => c.name);
    }
    case 'hosts': {
      const session = openSession(typedGlobals(words));
      return (await session.client.hosts.list()).hosts.map((h) => h.id);
    }
  }
}

/**
 * `berth __complete WORDS… CURRENT`: the values that fit where the cursor is, one a line.
 * Silent on every failure (not logged in, server away): a tab press must never print errors.
 */
export async function completeWords(program: Command, words: readonly string[]): Promise<void> {
  const typed = words.slice(0, -1);
  const current = words.at(-1) ?? '';
  const point = locate(commandTree(program), typed);
  const kind = point.valueOf
    ? kindOfFlag(point.valueOf)
    : kindOfArgument(point.node, point.given.length);
  if (kind === null) return;
  let values: string[];
  try {
    values = await valuesOf(kind, typed);
  } catch (err) {
    // Not logged in, or the server is away: no values, and no noise under the prompt.
    if (process.env.BERTH_COMPLETE_DEBUG) io.err(String(err));
    return;
  }
  for (const value of values) if (value.startsWith(current)) io.out(value);
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('Print the shell completion script: bash, zsh or fish')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      '\nbash:  source <(berth completion bash)\nzsh:   source <(berth completion zsh)\nfish:  berth completion fish | source',
    )
    .action((shell: string) => {
      if (!(shell in SHELLS))
        throw new UsageError(`the shell must be bash, zsh or fish (got "${shell}")`);
      process.stdout.write(SHELLS[shell as Shell](commandTree(program)));
    });
}
