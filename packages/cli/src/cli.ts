import { Command, CommanderError, Option } from 'commander';
import { completeWords } from './commands/completion.js';
import { registerCommands } from './commands/index.js';
import { cliVersion } from './commands/version.js';
import { describeError, EXIT_OK, EXIT_USAGE, exitCodeOf } from './core/errors.js';
import { io, paint } from './core/io.js';

/** The program's options that take a value, so the subcommand can be found after them. */
const VALUED_GLOBALS = new Set(['--context', '-H', '--host', '--ca-file', '--fingerprint']);

/** The first word of argv that is not a program option or its value: the subcommand. */
export function subcommandOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i] ?? '';
    if (!word.startsWith('-')) return word;
    if (VALUED_GLOBALS.has(word)) i += 1;
  }
  return undefined;
}

/**
 * Commands whose options end where their arguments begin, as docker's do (`berth run -v a:/b
 * busybox ls -l`, `berth exec web ls -la`, `berth top web -o pid,comm`): the program reads none
 * of its own options past the command's name, since `-v` there is docker's --volume, `-l`
 * belongs to `ls` and top's `-o` after the container is ps's.
 */
const POSITIONAL_COMMANDS = new Set(['run', 'exec', 'top']);
/** Of those, the ones commander hands the words after their arguments unread. */
const PASS_THROUGH_COMMANDS = new Set(['exec', 'top']);

/** The program: global options, then every command group (one file each under commands/). */
export function buildProgram(argv: readonly string[] = []): Command {
  const program = new Command('berth')
    .description('Manage Docker engines through Berth: containers, images, stacks, many hosts.')
    .version(
      `berth ${cliVersion()}`,
      '--version',
      'Print the CLI version (also -v, first on the line)',
    )
    .addOption(new Option('--context <name>', 'Use this context (default: the current one)'))
    .addOption(
      new Option('-H, --host <host>', 'Act on this host (default: the context\'s, else "local")'),
    )
    .addOption(new Option('--dry-run', 'Print the docker command and the request; change nothing'))
    .addOption(new Option('--ca-file <file>', 'Trust the server certificate signed by this CA'))
    .addOption(
      new Option('--fingerprint <sha256>', 'Trust only the server certificate of this fingerprint'),
    )
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    });
  const command = subcommandOf(argv);
  const positional = command !== undefined && POSITIONAL_COMMANDS.has(command);
  if (positional) program.enablePositionalOptions();
  registerCommands(program);
  // exec's and top's own options end at the container (`berth exec web ls -la` runs `ls -la`).
  if (positional && PASS_THROUGH_COMMANDS.has(command))
    program.commands.find((c) => c.name() === command)?.passThroughOptions();
  return program;
}

/** Runs the CLI; answers the exit code (0 ok, 1 failed, 2 usage). */
export async function run(argv: string[]): Promise<number> {
  // `berth -v` is the version, as docker's; after a command, -v is that command's (rm -v,
  // stack down -v, run -v), so the program does not own the short flag.
  if (argv[0] === '-v') argv = ['--version', ...argv.slice(1)];
  const program = buildProgram(argv);
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT_USAGE;
  }
  // The hidden `berth __complete WORDS…` of the completion scripts: its words are the line
  // being typed, flags included, so they never go through the option parser.
  if (argv[0] === '__complete') {
    await completeWords(program, argv.slice(1));
    return EXIT_OK;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    io.err(`${paint('red', 'error', io.colour && process.stderr.isTTY)}: ${describeError(err)}`);
    return exitCodeOf(err);
  }
}
