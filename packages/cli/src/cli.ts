import { parseArgs } from 'node:util';
import { versionCommand } from './commands/version.js';

const USAGE = `Usage: berth <command> [options]

Commands:
  version        Print the berth CLI version

Options:
  -v, --version  Print the version
  -h, --help     Show this help
`;

/** Runs the CLI with the given arguments; returns the exit code. */
export function run(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { version: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    err(`berth: ${e instanceof Error ? e.message : String(e)}`);
    err(USAGE);
    return 2;
  }
  const [command] = parsed.positionals;
  if (parsed.values.version || command === 'version') return versionCommand(out);
  if (parsed.values.help || command === undefined || command === 'help') {
    out(USAGE);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  err(`berth: unknown command "${command}"`);
  err(USAGE);
  return 2;
}
