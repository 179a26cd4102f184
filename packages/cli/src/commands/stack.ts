import { api, type ComposeIssue, type StackServiceState, type StackSummary } from '@berth/contract';
import type { Command } from 'commander';
import { change } from '../core/change.js';
import { collect, sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { age, parseOutputFormat, printData, printList, type Column } from '../core/output.js';
import { confirm } from '../core/prompt.js';
import type { Session } from '../core/session.js';
import {
  printFileSync,
  printStackPlan,
  syncStackFiles,
  withStackProgress,
} from './stack-deploy.js';
import { readStackSource, type StackSource, type StackSourceOptions } from './stack-files.js';
import { registerStackLogs } from './stack-logs.js';

/** `compose.yaml:4:7 services.web.ports[0]: message`, as an editor's problem list. */
function describeIssue(issue: ComposeIssue): string {
  const where = [issue.file, issue.line, issue.column].filter((p) => p !== null).join(':');
  return `${where}${issue.path ? ` ${issue.path}` : ''}: ${issue.message}`;
}

interface SourceFlags extends StackSourceOptions {
  output?: string;
  yes?: boolean;
  volumes?: boolean;
  down?: boolean;
  removeOrphans?: boolean;
}

/** `-f` (repeatable) and `-p`, as `docker compose` takes them. */
export function withSource(command: Command): Command {
  return command
    .option('-f, --file <path>', 'A compose file (twice: a file and its override)', collect)
    .option('-p, --name <name>', "The stack (default: the files' name:, else their folder)");
}

const compose = (name: string, ...args: string[]): string[] => [
  'docker',
  'compose',
  '-p',
  name,
  ...args,
];

/** Up: put the files in the stack's folder, plan, apply; `--dry-run` shows the plan and the requests. */
export async function upStack(
  session: Session,
  source: StackSource,
  removeOrphans = true,
): Promise<void> {
  const params = { host: session.host, name: source.name };
  const upBody = { removeOrphans };
  if (session.dryRun) {
    const preview = await session.client.stacks.plan({
      params,
      body: source.files ? { files: source.files, removeOrphans } : { removeOrphans },
    });
    printStackPlan(preview);
    await syncStackFiles(session, source);
    await change(
      session,
      {
        docker: compose(
          source.name,
          'up',
          '--detach',
          ...(removeOrphans ? ['--remove-orphans'] : []),
        ),
        route: api.stacks.up,
        input: { params, body: upBody },
      },
      () => Promise.resolve(null),
    );
    return;
  }
  const sync = await syncStackFiles(session, source);
  if (sync) printFileSync(source.name, sync, source);
  const plan = await session.client.stacks.plan({ params, body: { removeOrphans } });
  printStackPlan(plan);
  if (plan.unchanged) return;
  await withStackProgress(session, source.name, 'up', () =>
    session.client.stacks.up({ params, body: { ...upBody, planId: plan.planId } }),
  );
}

type ServiceRow = {
  service: StackServiceState;
  container: StackServiceState['containers'][number] | null;
};

const psColumns: Column<ServiceRow>[] = [
  { header: 'SERVICE', value: (r) => r.service.name },
  { header: 'NAME', value: (r) => r.container?.name ?? '-', shrink: true },
  {
    header: 'STATE',
    value: (r) => r.container?.state ?? r.service.state,
    colour: (r) => ((r.container?.state ?? r.service.state) === 'running' ? 'green' : 'yellow'),
  },
  { header: 'STATUS', value: (r) => r.container?.status ?? '-' },
  { header: 'IMAGE', value: (r) => r.container?.image ?? r.service.image ?? '-', shrink: true },
  { header: 'ID', value: (r) => r.container?.id.slice(0, 12) ?? '-', wide: true },
];

const lsColumns: Column<StackSummary>[] = [
  { header: 'NAME', value: (s) => s.name },
  {
    header: 'STATE',
    value: (s) => s.state,
    colour: (s) => (s.state === 'running' ? 'green' : s.state === 'failed' ? 'red' : 'yellow'),
  },
  {
    header: 'SERVICES',
    value: (s) =>
      `${s.services.reduce((n, x) => n + x.running, 0)}/${s.services.reduce((n, x) => n + x.total, 0)} running`,
  },
  { header: 'SOURCE', value: (s) => s.source },
  { header: 'UPDATED', value: (s) => age(s.updatedAt) },
  { header: 'MESSAGE', value: (s) => s.message ?? '', wide: true, shrink: true },
  { header: 'FOLDER', value: (s) => s.workingDir ?? '-', wide: true, shrink: true },
];

const sessionAndSource = (options: SourceFlags, command: Command) => ({
  session: sessionOf(command),
  source: readStackSource(options),
});

function registerServiceAction(
  stack: Command,
  operation: 'start' | 'stop' | 'restart' | 'pull',
  description: string,
): void {
  withSource(stack.command(operation))
    .description(description)
    .argument('[services...]', 'Only these services')
    .action(async (services: string[], options: SourceFlags, command: Command) => {
      const { session, source } = sessionAndSource(options, command);
      const params = { host: session.host, name: source.name };
      const body = services.length > 0 ? { services } : {};
      const perform = (): ReturnType<Session['client']['stacks']['start']> =>
        session.client.stacks[operation]({ params, body });
      await change(
        session,
        {
          docker: compose(source.name, operation, ...services),
          route: api.stacks[operation],
          input: { params, body },
        },
        () => withStackProgress(session, source.name, operation, perform),
      );
    });
}

export function registerStack(program: Command): void {
  const stack = program
    .command('stack')
    .description('Compose stacks: up, plan, down, ps, config, logs, … (docker compose)');

  withSource(stack.command('up'))
    .description(
      'Create or update the stack from its files and apply the plan (docker compose up -d)',
    )
    .option('--no-remove-orphans', 'Keep containers of services no longer in the files')
    .action(async (options: SourceFlags, command: Command) => {
      const { session, source } = sessionAndSource(options, command);
      await upStack(session, source, options.removeOrphans !== false);
    });

  withSource(stack.command('plan'))
    .description('What up would do, per service, with reasons; changes nothing')
    .option('-o, --output <format>', 'table, json or yaml')
    .action(async (options: SourceFlags, command: Command) => {
      const format = parseOutputFormat(options.output);
      const { session, source } = sessionAndSource(options, command);
      const plan = await session.client.stacks.plan({
        params: { host: session.host, name: source.name },
        body: source.files ? { files: source.files } : {},
      });
      if (format === 'json' || format === 'yaml') printData(format, plan);
      else printStackPlan(plan);
    });

  withSource(stack.command('down'))
    .description("Remove the stack's containers and networks; its files stay (docker compose down)")
    .option('-v, --volumes', 'Also remove its named volumes (their data)')
    .option('-y, --yes', 'Do not ask before removing volumes')
    .action(async (options: SourceFlags, command: Command) => {
      const { session, source } = sessionAndSource(options, command);
      const removeVolumes = options.volumes === true;
      if (
        removeVolumes &&
        !session.dryRun &&
        !(await confirm(`Remove stack ${source.name} and its volumes' data?`, { yes: options.yes }))
      )
        return;
      const params = { host: session.host, name: source.name };
      const body = { removeVolumes };
      await change(
        session,
        {
          docker: compose(source.name, 'down', ...(removeVolumes ? ['--volumes'] : [])),
          route: api.stacks.down,
          input: { params, body },
        },
        () =>
          withStackProgress(session, source.name, 'down', () =>
            session.client.stacks.down({ params, body }),
          ),
      );
    });

  withSource(stack.command('ps'))
    .description("The stack's services and containers (docker compose ps --all)")
    .option('-o, --output <format>', 'table, wide, json, yaml or name')
    .action(async (options: SourceFlags, command: Command) => {
      const format = parseOutputFormat(options.output);
      const { session, source } = sessionAndSource(options, command);
      const detail = await session.client.stacks.get({
        params: { host: session.host, name: source.name },
      });
      const rows = detail.services.flatMap((service): ServiceRow[] =>
        service.containers.length === 0
          ? [{ service, container: null }]
          : service.containers.map((container) => ({ service, container })),
      );
      printList(format, detail, rows, psColumns, (r) =>
        r.container ? `container/${r.container.name}` : `service/${r.service.name}`,
      );
    });

  withSource(stack.command('config'))
    .description('The normalized project (docker compose config)')
    .option('-o, --output <format>', 'yaml (the default) or json')
    .action(async (options: SourceFlags, command: Command) => {
      const format = options.output ?? 'yaml';
      if (format !== 'json' && format !== 'yaml') throw new UsageError('-o must be yaml or json');
      const { session, source } = sessionAndSource(options, command);
      if (!source.files) {
        printData(
          format,
          await session.client.stacks.config({ params: { host: session.host, name: source.name } }),
        );
        return;
      }
      // Local files: rendered as they are here, before anything is written (compose config).
      const checked = await session.client.stacks.validate({
        params: { host: session.host },
        body: { name: source.name, files: source.files },
      });
      for (const issue of checked.issues) io.err(describeIssue(issue));
      if (!checked.ok || !checked.project)
        throw new CliError(`the files of stack ${source.name} do not load`);
      printData(format, checked.project);
    });

  registerStackLogs(stack.command('logs'));
  registerServiceAction(
    stack,
    'pull',
    "Pull (or build) the services' images (docker compose pull)",
  );
  registerServiceAction(stack, 'start', "Start the stack's containers (docker compose start)");
  registerServiceAction(stack, 'stop', "Stop the stack's containers (docker compose stop)");
  registerServiceAction(
    stack,
    'restart',
    "Restart the stack's containers (docker compose restart)",
  );

  stack
    .command('ls')
    .description('Stacks on the host (docker compose ls --all)')
    .option('-o, --output <format>', 'table, wide, json, yaml or name')
    .action(async (options: SourceFlags, command: Command) => {
      const format = parseOutputFormat(options.output);
      const session = sessionOf(command);
      const answer = await session.client.stacks.list({ params: { host: session.host } });
      printList(format, answer, answer.stacks, lsColumns, (s) => `stack/${s.name}`);
    });

  withSource(stack.command('rm'))
    .description("Delete the stack's folder (its files); --down takes it down first")
    .option('--down', 'Take it down first (else a stack with containers is refused)')
    .option('-v, --volumes', 'With --down, also remove its volumes')
    .option('-y, --yes', 'Do not ask')
    .action(async (options: SourceFlags, command: Command) => {
      const { session, source } = sessionAndSource(options, command);
      if (
        !session.dryRun &&
        !(await confirm(`Delete stack ${source.name}'s files?`, { yes: options.yes }))
      )
        return;
      const params = { host: session.host, name: source.name };
      const query = {
        down: options.down ? ('true' as const) : ('false' as const),
        volumes: options.volumes ? ('true' as const) : ('false' as const),
      };
      const docker = options.down
        ? compose(source.name, 'down', ...(options.volumes ? ['--volumes'] : []))
        : [];
      await change(
        session,
        { docker, route: api.stacks.remove, input: { params, query } },
        async () => {
          await session.client.stacks.remove({ params, query });
          io.out(`stack/${source.name} deleted`);
        },
      );
    });
}

/** `berth apply -f`: the stack is created if missing, else its changed files written; then up. */
export function registerApply(program: Command): void {
  program
    .command('apply')
    .description(
      'Create or update a stack from its files and bring it up (kubectl apply for stacks)',
    )
    .requiredOption(
      '-f, --file <path>',
      'compose.yaml, or a stack.yaml manifest {name, files} (twice: a file and its override)',
      collect,
    )
    .option('-p, --name <name>', "The stack (default: the files' name:, else their folder)")
    .action(async (options: SourceFlags, command: Command) => {
      const { session, source } = sessionAndSource(options, command);
      await upStack(session, source);
    });
}
