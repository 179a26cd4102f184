import { api, NetworkCreate } from '@berth/contract';
import type { Command } from 'commander';
import { change, reportItems } from '../core/change.js';
import { collect, sessionOf } from '../core/command.js';
import { UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { item, keyValues, printInspect, registerPrune } from './resource-common.js';

interface CreateOptions {
  driver?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  internal?: boolean;
  attachable?: boolean;
  label?: string[];
  opt?: string[];
  expectedContainers?: string;
}

/** The create body, checked by the contract first so a bad field is named before sending. */
function createBody(
  name: string,
  options: CreateOptions,
): { body: NetworkCreate; docker: string[] } {
  const parsed = NetworkCreate.safeParse({
    name,
    ...(options.driver ? { driver: options.driver } : {}),
    ...(options.subnet ? { subnet: options.subnet } : {}),
    ...(options.gateway ? { gateway: options.gateway } : {}),
    ...(options.ipRange ? { ipRange: options.ipRange } : {}),
    ...(options.expectedContainers
      ? { expectedContainers: Number(options.expectedContainers) }
      : {}),
    internal: options.internal === true,
    attachable: options.attachable === true,
    ...(options.label ? { labels: keyValues(options.label) } : {}),
    ...(options.opt ? { options: keyValues(options.opt) } : {}),
  });
  if (!parsed.success)
    throw new UsageError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const body = parsed.data;
  const docker = [
    'docker',
    'network',
    'create',
    '--driver',
    body.driver,
    ...(body.subnet ? ['--subnet', body.subnet] : []),
    ...(body.gateway ? ['--gateway', body.gateway] : []),
    ...(body.ipRange ? ['--ip-range', body.ipRange] : []),
    ...(body.internal ? ['--internal'] : []),
    ...(body.attachable ? ['--attachable'] : []),
    ...(options.label ?? []).flatMap((l) => ['--label', l]),
    ...(options.opt ?? []).flatMap((o) => ['--opt', o]),
    name,
  ];
  return { body, docker };
}

export function registerNetwork(program: Command): void {
  const network = program.command('network').description('Create, connect and remove networks');

  network
    .command('create')
    .description('Create a network; without --subnet Berth picks a free range')
    .argument('<name>')
    .option('-d, --driver <driver>', 'bridge, macvlan, ipvlan or overlay', 'bridge')
    .option('--subnet <cidr>', 'The range, like 172.30.0.0/24')
    .option('--gateway <ip>', 'The gateway address')
    .option('--ip-range <cidr>', 'Allocate container addresses from this sub-range')
    .option('--expected-containers <n>', 'Size a free range for this many containers')
    .option('--internal', 'No access to outside networks')
    .option('--attachable', 'Containers may be connected by hand (overlay)')
    .option('-l, --label <key=value>', 'A label (repeatable)', collect)
    .option('-o, --opt <key=value>', 'A driver option (repeatable)', collect)
    .action(async (name: string, options: CreateOptions, command: Command) => {
      const session = sessionOf(command);
      const { body, docker } = createBody(name, options);
      const params = { host: session.host };
      const created = await change(
        session,
        { docker, route: api.networks.create, input: { params, body } },
        () => session.client.networks.create({ params, body }),
      );
      if (created) io.out(created.id);
    });

  network
    .command('rm')
    .alias('remove')
    .description('Remove networks')
    .argument('<names...>')
    .action(async (names: string[], _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const results = await Promise.all(
        names.map((id) =>
          item(id, () => {
            const params = { host: session.host, id };
            return change(
              session,
              {
                docker: ['docker', 'network', 'rm', id],
                route: api.networks.remove,
                input: { params },
              },
              () => session.client.networks.remove({ params }),
            );
          }),
        ),
      );
      if (!session.dryRun) reportItems(results);
    });

  network
    .command('connect')
    .description('Connect a container to a network')
    .argument('<network>')
    .argument('<container>')
    .option('--ip <ipv4>', 'A fixed address')
    .option('--reservation <purpose>', 'The address reserved in the network for this purpose')
    .option('--alias <name>', 'A network-scoped alias (repeatable)', collect)
    .action(
      async (
        id: string,
        container: string,
        options: { ip?: string; reservation?: string; alias?: string[] },
        command: Command,
      ) => {
        const session = sessionOf(command);
        const params = { host: session.host, id };
        const body = {
          container,
          ...(options.ip ? { ipv4Address: options.ip } : {}),
          ...(options.reservation ? { reservation: options.reservation } : {}),
          ...(options.alias ? { aliases: options.alias } : {}),
        };
        const docker = [
          'docker',
          'network',
          'connect',
          ...(options.ip ? ['--ip', options.ip] : []),
          ...(options.alias ?? []).flatMap((a) => ['--alias', a]),
          id,
          container,
        ];
        const done = await change(
          session,
          { docker, route: api.networks.connect, input: { params, body } },
          () => session.client.networks.connect({ params, body }),
        );
        if (done) io.out(done.ip ? `${container}: ${done.ip}` : container);
      },
    );

  network
    .command('disconnect')
    .description('Disconnect a container from a network')
    .argument('<network>')
    .argument('<container>')
    .option('-f, --force', 'Even if the container is not running')
    .action(
      async (id: string, container: string, options: { force?: boolean }, command: Command) => {
        const session = sessionOf(command);
        const params = { host: session.host, id };
        const body = { container, force: options.force === true };
        const docker = [
          'docker',
          'network',
          'disconnect',
          ...(options.force ? ['--force'] : []),
          id,
          container,
        ];
        const done = await change(
          session,
          { docker, route: api.networks.disconnect, input: { params, body } },
          () => session.client.networks.disconnect({ params, body }),
        );
        if (done) io.out(container);
      },
    );

  registerPrune(network, {
    kind: 'networks',
    docker: ['docker', 'network', 'prune'],
    route: api.networks.prune,
    call: (session, body) =>
      session.client.networks.prune({ params: { host: session.host }, body }),
  });

  network
    .command('inspect')
    .description('Everything about networks, with the engine inspect (JSON, or -o yaml)')
    .argument('<names...>')
    .option('-o, --output <format>', 'json or yaml', 'json')
    .action(async (names: string[], options: { output?: string }, command: Command) => {
      const session = sessionOf(command);
      const details = await Promise.all(
        names.map((id) => session.client.networks.get({ params: { host: session.host, id } })),
      );
      printInspect(options.output, details);
    });
}
