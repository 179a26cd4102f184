import { readFileSync } from 'node:fs';
import {
  api,
  ContainerCreate,
  splitShellWords,
  type ContainerCreated,
  type ContainerSpec,
} from '@berth/contract';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { change } from '../core/change.js';
import { globalOptions } from '../core/command.js';
import { CliError, describeError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { parseOutputFormat, printData } from '../core/output.js';
import { readStdin } from '../core/prompt.js';
import { openSession, type Session } from '../core/session.js';
import { attachAndStart, followUntilExit } from './run-attach.js';
import { parseRunArgs, runFlagsHelp } from './run-flags.js';

/** The spec part of a create body: what the preview route takes (strict, no create options). */
function specOf(body: ContainerCreate): ContainerSpec {
  const spec: Partial<ContainerCreate> = { ...body };
  delete spec.autoStart;
  delete spec.validateSeconds;
  return spec as ContainerSpec;
}

/** The docker command a create body amounts to, as the server renders it. */
async function dockerRun(
  session: Session,
  body: ContainerCreate,
  options: { detach: boolean; remove?: boolean },
): Promise<string[]> {
  const preview = await session.client.containers.preview({
    params: { host: session.host },
    body: specOf(body),
  });
  if (preview.nameTaken) io.err(`warning: the name "${body.name ?? ''}" is taken`);
  for (const conflict of preview.portConflicts)
    io.err(
      `warning: port ${conflict.port}/${conflict.protocol} is published by ${conflict.container}`,
    );
  const words = splitShellWords(preview.cli);
  const flags = words.slice(2).filter((w) => options.detach || (w !== '--detach' && w !== '-d'));
  return [...words.slice(0, 2), ...(options.remove ? ['--rm'] : []), ...flags];
}

/** Prints what a create answered that a user should know: its warnings, a failed start. */
/**
 * Warnings, and what the watch after the start saw. A failure is the command's only when a
 * watch was asked for (`--validate N`); otherwise, as `docker run -d`, a container that ends
 * at once (`true`) is created all the same, and the CLI says so on stderr.
 */
function reportCreated(created: ContainerCreated, watched: boolean): void {
  for (const warning of created.warnings) io.err(`warning: ${warning}`);
  const validation = created.validation;
  if (validation && !validation.ok) {
    for (const line of validation.logs) io.err(line);
    if (watched) throw new CliError(`${created.container.name}: ${validation.message}`);
    io.err(`note: ${created.container.name}: ${validation.message}`);
  }
}

async function run(args: string[], command: Command): Promise<void> {
  const request = parseRunArgs(args);
  if (request.help) {
    command.outputHelp();
    return;
  }
  const session = openSession({ ...globalOptions(command), ...request.globals });
  const body = request.body;
  // -i/-t attached: create it stopped, attach, then start it (as docker run does).
  const attach = !request.detach && (body.openStdin === true || body.tty === true);
  if (attach) {
    body.autoStart = false;
    if (body.openStdin) body.stdinOnce = true;
  }
  const docker = session.dryRun
    ? await dockerRun(session, body, { detach: request.detach, remove: request.remove })
    : [];
  const route = api.containers.create;
  const created = await change(
    session,
    { docker, route, input: { params: { host: session.host }, body } },
    () => session.client.containers.create({ params: { host: session.host }, body }),
  );
  if (!created) return;
  if (request.detach) {
    reportCreated(created, body.validateSeconds > 0);
    io.out(created.container.id);
    return;
  }
  for (const warning of created.warnings) io.err(`warning: ${warning}`);
  const id = created.container.id;
  const params = { host: session.host, id };
  const remove = () => session.client.containers.remove({ params, query: { force: 'true' } });
  // SIGTERM: with --rm the container goes (docker's daemon-side --rm would see it exit);
  // without, it is passed on, as docker's sig-proxy does.
  const term: { removing: Promise<unknown> | null } = { removing: null };
  const onTerminate = (): void => {
    if (request.remove) {
      term.removing ??= remove().catch((err: unknown) =>
        io.err(`cannot remove ${id}: ${describeError(err)}`),
      );
      return;
    }
    session.client.containers
      .kill({ params, query: { signal: 'SIGTERM' } })
      .catch((err: unknown) => io.err(`cannot pass SIGTERM on: ${describeError(err)}`));
  };
  process.on('SIGTERM', onTerminate);
  try {
    const outcome = await (
      attach ? attachAndStart(session, id, body.openStdin === true) : followUntilExit(session, id)
    ).catch((err: unknown) => {
      if (term.removing) return null;
      throw err;
    });
    if (term.removing) {
      await term.removing;
      process.exitCode = 143;
      return;
    }
    if (outcome === 'detached' || outcome === null) return;
    if (request.remove) await remove();
    process.exitCode = outcome;
  } finally {
    process.off('SIGTERM', onTerminate);
  }
}

/** A ContainerSpec (or create body) from a YAML or JSON file, or stdin for `-`. */
async function readSpecFile(file: string): Promise<ContainerCreate> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new UsageError(`${file}: not YAML or JSON: ${(err as Error).message}`);
  }
  const parsed = ContainerCreate.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(the file)'}: ${issue.message}`,
    );
    throw new UsageError(`${file} is not a container spec: ${problems.join('; ')}`);
  }
  // As run: no watching after the start unless asked (the schema's default is the web form's).
  const asked = typeof value === 'object' && value !== null && 'validateSeconds' in value;
  return asked ? parsed.data : { ...parsed.data, validateSeconds: 0 };
}

interface CreateOptions {
  file: string;
  start?: boolean;
  validate?: string;
  output?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Create and start a container, as docker run does')
    .usage('[flags] IMAGE [COMMAND] [ARG...]')
    .argument('[image-and-command...]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText(
      'after',
      `\nFlags (before the image; what follows the image is the command's own):\n${runFlagsHelp()}\n\n` +
        "Without -d it follows the output and exits with the container's exit code; with -i or -t it attaches this terminal first, then starts the container.",
    )
    .action(async (_words: string[], _options: unknown, command: Command) => {
      await run(command.args, command);
    });

  program
    .command('create')
    .description('Create a container from a ContainerSpec file (YAML or JSON)')
    .requiredOption('-f, --file <file>', 'The spec file, or - for stdin')
    .option('--no-start', 'Create it only (the spec file may also say autoStart: false)')
    .option(
      '--validate <seconds>',
      "Watch it this long after the start and report it if it stops (default: the file's validateSeconds, else 0, as run)",
    )
    .option('-o, --output <format>', 'json or yaml: the whole answer; else the ID')
    .action(async (options: CreateOptions, command: Command) => {
      const format = options.output === undefined ? null : parseOutputFormat(options.output);
      const body = await readSpecFile(options.file);
      if (options.validate !== undefined) {
        const seconds = Number(options.validate);
        if (!Number.isInteger(seconds) || seconds < 0 || seconds > 300)
          throw new UsageError('--validate must be a whole number of seconds, 0 to 300');
        body.validateSeconds = seconds;
      }
      if (options.start === false) body.autoStart = false;
      const session = openSession(globalOptions(command));
      const docker = session.dryRun ? await dockerRun(session, body, { detach: true }) : [];
      const created = await change(
        session,
        { docker, route: api.containers.create, input: { params: { host: session.host }, body } },
        () => session.client.containers.create({ params: { host: session.host }, body }),
      );
      if (!created) return;
      if (format === 'json' || format === 'yaml') printData(format, created);
      reportCreated(created, body.validateSeconds > 0);
      if (format !== 'json' && format !== 'yaml') io.out(created.container.id);
    });
}
