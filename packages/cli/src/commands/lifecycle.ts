import { api, parseSize, type ContainerUpdate } from '@berth/contract';
import type { Command } from 'commander';
import { change, reportItems } from '../core/change.js';
import { sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import type { Session } from '../core/session.js';
import { registerRecreate } from './recreate.js';
import { item } from './resource-common.js';

type BulkableAction = 'start' | 'stop' | 'restart' | 'kill';
type Action = BulkableAction | 'pause' | 'unpause';
const BULK_ACTIONS: readonly Action[] = ['start', 'stop', 'restart', 'kill'];
const bulkable = (action: Action): action is BulkableAction => BULK_ACTIONS.includes(action);

interface ActionOptions {
  time?: string;
  signal?: string;
}

function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number of seconds`);
  return Number(value);
}

/** Each name through its own route (pause, a stop timeout, a kill signal); results per name. */
async function oneByOne(
  session: Session,
  names: readonly string[],
  perform: (name: string) => Promise<unknown>,
): Promise<void> {
  const results = await Promise.all(names.map((name) => item(name, () => perform(name))));
  // Under --dry-run each plan was printed and nothing was done: there are no results.
  if (session.dryRun) return;
  const [only] = results;
  // One container: its failure is the command's one-line error.
  if (results.length === 1 && only && !only.ok)
    throw new CliError(`${only.name}: ${only.message ?? 'failed'}`);
  reportItems(results);
}

/** Several names with the bulk route: one request, a result per container. */
async function bulk(
  session: Session,
  body: { action: BulkableAction | 'remove'; ids: string[]; force?: boolean },
  docker: string[],
): Promise<void> {
  const answer = await change(
    session,
    { docker, route: api.containers.bulk, input: { params: { host: session.host }, body } },
    () => session.client.containers.bulk({ params: { host: session.host }, body }),
  );
  if (!answer) return;
  reportItems(
    answer.results.map((r) => ({
      name: r.ok ? (r.name ?? r.id) : r.id,
      ok: r.ok,
      ...(r.error ? { message: `${r.error.code}: ${r.error.message}` } : {}),
    })),
  );
}

/** The signals of a Linux engine, as docker kill names them (SIG optional). */
const SIGNALS = new Set(
  (
    'ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV ' +
    'STKFLT STOP SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ'
  ).split(' '),
);

/** `-s`: a signal name (SIGTERM, term, RTMIN+3) or number 1–64, upper-cased as docker does. */
export function killSignal(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const name = text.toUpperCase().replace(/^SIG/, '');
  const number = /^\d+$/.test(text) ? Number(text) : null;
  const known =
    number !== null
      ? number >= 1 && number <= 64
      : SIGNALS.has(name) || /^RTM(IN|AX)([+-]\d{1,2})?$/.test(name);
  if (!known)
    throw new UsageError(`-s: "${text}" is not a signal (a name like SIGTERM or a number 1-64)`);
  return number !== null ? text : text.toUpperCase();
}

async function act(action: Action, names: string[], options: ActionOptions, command: Command) {
  const session = sessionOf(command);
  const timeout = seconds(options.time, '--time');
  const signal = killSignal(options.signal);
  const flags = [
    ...(timeout !== undefined ? ['--time', String(timeout)] : []),
    ...(signal ? ['--signal', signal] : []),
  ];
  if (names.length > 1 && bulkable(action) && flags.length === 0) {
    await bulk(session, { action, ids: names }, ['docker', action, ...names]);
    return;
  }
  await oneByOne(session, names, (id) => {
    const params = { host: session.host, id };
    const docker = ['docker', action, ...flags, id];
    const c = session.client.containers;
    const query =
      action === 'kill'
        ? signal
          ? { signal }
          : {}
        : (action === 'stop' || action === 'restart') && timeout !== undefined
          ? { timeout }
          : undefined;
    const perform = (): Promise<unknown> => {
      switch (action) {
        case 'stop':
        case 'restart':
          return c[action]({ params, query: timeout !== undefined ? { timeout } : {} });
        case 'kill':
          return c.kill({ params, query: signal ? { signal } : {} });
        case 'start':
        case 'pause':
        case 'unpause':
          return c[action]({ params });
      }
    };
    const input = query ? { params, query } : { params };
    return change(session, { docker, route: api.containers[action], input }, perform);
  });
}

interface RemoveOptions {
  force?: boolean;
  volumes?: boolean;
}

async function remove(names: string[], options: RemoveOptions, command: Command) {
  const session = sessionOf(command);
  const flags = [...(options.force ? ['--force'] : []), ...(options.volumes ? ['--volumes'] : [])];
  if (names.length > 1 && !options.volumes) {
    const body = { action: 'remove' as const, ids: names, force: options.force === true };
    await bulk(session, body, ['docker', 'rm', ...flags, ...names]);
    return;
  }
  await oneByOne(session, names, (id) => {
    const params = { host: session.host, id };
    const query = {
      ...(options.force ? { force: 'true' as const } : {}),
      ...(options.volumes ? { volumes: 'true' as const } : {}),
    };
    return change(
      session,
      {
        docker: ['docker', 'rm', ...flags, id],
        route: api.containers.remove,
        input: { params, query },
      },
      () => session.client.containers.remove({ params, query }),
    );
  });
}

interface UpdateOptions {
  restart?: string;
  memory?: string;
  cpus?: string;
  pidsLimit?: string;
}

function updateBody(options: UpdateOptions): { body: ContainerUpdate; flags: string[] } {
  const body: ContainerUpdate = {};
  const flags: string[] = [];
  if (options.restart !== undefined) {
    const [name = '', retries] = options.restart.split(':');
    if (
      !['no', 'always', 'unless-stopped', 'on-failure'].includes(name) ||
      (retries !== undefined && !/^\d+$/.test(retries))
    )
      throw new UsageError('--restart must be no, always, unless-stopped or on-failure[:N]');
    body.restartPolicy = {
      name: name as 'no',
      ...(retries !== undefined ? { maximumRetryCount: Number(retries) } : {}),
    };
    flags.push('--restart', options.restart);
  }
  if (options.memory !== undefined) {
    const bytes = parseSize(options.memory);
    if (bytes === null)
      throw new UsageError(`--memory: "${options.memory}" is not a size such as 512m`);
    body.memoryBytes = bytes;
    flags.push('--memory', options.memory);
  }
  if (options.cpus !== undefined) {
    const cpus = Number(options.cpus);
    if (!(cpus > 0)) throw new UsageError(`--cpus: "${options.cpus}" is not a number of CPUs`);
    body.cpus = cpus;
    flags.push('--cpus', options.cpus);
  }
  if (options.pidsLimit !== undefined) {
    if (!/^\d+$/.test(options.pidsLimit))
      throw new UsageError('--pids-limit must be a whole number');
    body.pidsLimit = Number(options.pidsLimit);
    flags.push('--pids-limit', options.pidsLimit);
  }
  if (flags.length === 0)
    throw new UsageError('nothing to update: give --restart, --memory, --cpus or --pids-limit');
  return { body, flags };
}

export function registerLifecycle(program: Command): void {
  const actions: [Action, string][] = [
    ['start', 'Start containers'],
    ['stop', 'Stop containers (SIGTERM, then SIGKILL after the timeout)'],
    ['restart', 'Restart containers'],
    ['kill', 'Send a signal to containers (default SIGKILL)'],
    ['pause', 'Freeze all processes of containers'],
    ['unpause', 'Resume frozen containers'],
  ];
  for (const [action, description] of actions) {
    const cmd = program
      .command(action)
      .description(`${description} (docker ${action})`)
      .argument('<names...>', 'Container names or ids');
    if (action === 'stop' || action === 'restart')
      cmd.option('-t, --time <seconds>', 'Seconds to wait before killing');
    if (action === 'kill') cmd.option('-s, --signal <signal>', 'The signal, like SIGTERM');
    cmd.action((names: string[], options: ActionOptions, command: Command) =>
      act(action, names, options, command),
    );
  }

  program
    .command('delete')
    .alias('rm')
    .description('Remove containers (docker rm); a running one only with -f')
    .argument('<names...>', 'Container names or ids')
    .option('-f, --force', 'Remove running containers too (killing them)')
    .option('-v, --volumes', 'Also remove their anonymous volumes')
    .action(remove);

  program
    .command('rename')
    .description('Rename a container (docker rename)')
    .argument('<old>', 'The container')
    .argument('<new>', 'Its new name')
    .action(async (from: string, to: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const params = { host: session.host, id: from };
      const body = { name: to };
      const done = await change(
        session,
        {
          docker: ['docker', 'rename', from, to],
          route: api.containers.rename,
          input: { params, body },
        },
        () => session.client.containers.rename({ params, body }),
      );
      if (done) io.out(done.name);
    });

  program
    .command('update')
    .description('Change limits and the restart policy of live containers (docker update)')
    .argument('<names...>', 'Container names or ids')
    .option('--restart <policy>', 'no, always, unless-stopped or on-failure[:N]')
    .option('-m, --memory <size>', 'Memory limit, like 512m')
    .option('--cpus <n>', 'CPUs, like 1.5')
    .option('--pids-limit <n>', 'Process limit')
    .action(async (names: string[], options: UpdateOptions, command: Command) => {
      const { body, flags } = updateBody(options);
      const session = sessionOf(command);
      await oneByOne(session, names, (id) => {
        const params = { host: session.host, id };
        return change(
          session,
          {
            docker: ['docker', 'update', ...flags, id],
            route: api.containers.update,
            input: { params, body },
          },
          () => session.client.containers.update({ params, body }),
        );
      });
    });

  registerRecreate(program);
}
