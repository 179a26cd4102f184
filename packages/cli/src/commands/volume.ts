import { api, type ListedVolumeBackup } from '@berth/contract';
import type { Command } from 'commander';
import { change, reportItems } from '../core/change.js';
import { collect, sessionOf } from '../core/command.js';
import { io } from '../core/io.js';
import { age, bytes, parseOutputFormat, printList, type Column } from '../core/output.js';
import { item, keyValues, printInspect, registerPrune } from './resource-common.js';

const backupColumns: Column<ListedVolumeBackup>[] = [
  { header: 'ID', value: (b) => b.id },
  { header: 'CREATED', value: (b) => age(b.createdAt) },
  { header: 'SIZE', value: (b) => bytes(b.sizeBytes) },
  { header: 'FILES', value: (b) => (b.broken ? '-' : String(b.files)) },
  {
    header: 'STATUS',
    value: (b) => (b.broken ? `broken: ${b.problem.message}` : 'ok'),
    colour: (b) => (b.broken ? 'red' : undefined),
  },
];

/** docker has no backup command: the usual equivalent, a tar of the volume from a helper. */
function tarCommand(volume: string, archive: string, direction: 'create' | 'extract'): string[] {
  return [
    'docker',
    'run',
    '--rm',
    '--volume',
    `${volume}:/volume${direction === 'create' ? ':ro' : ''}`,
    '--volume',
    '.:/backup',
    'busybox',
    'tar',
    direction === 'create' ? 'czf' : 'xzf',
    `/backup/${archive}`,
    '-C',
    '/volume',
    ...(direction === 'create' ? ['.'] : []),
  ];
}

export function registerVolume(program: Command): void {
  const volume = program
    .command('volume')
    .description('Create, back up, restore and remove volumes');

  volume
    .command('create')
    .description('Create a volume (a generated name when none is given)')
    .argument('[name]')
    .option('-d, --driver <driver>', 'The volume driver', 'local')
    .option('-o, --opt <key=value>', 'A driver option (repeatable)', collect)
    .option('-l, --label <key=value>', 'A label (repeatable)', collect)
    .action(
      async (
        name: string | undefined,
        options: { driver: string; opt?: string[]; label?: string[] },
        command: Command,
      ) => {
        const session = sessionOf(command);
        const params = { host: session.host };
        const body = {
          ...(name ? { name } : {}),
          driver: options.driver,
          ...(options.opt ? { options: keyValues(options.opt) } : {}),
          ...(options.label ? { labels: keyValues(options.label) } : {}),
        };
        const docker = [
          'docker',
          'volume',
          'create',
          ...(options.driver !== 'local' ? ['--driver', options.driver] : []),
          ...(options.opt ?? []).flatMap((o) => ['--opt', o]),
          ...(options.label ?? []).flatMap((l) => ['--label', l]),
          ...(name ? [name] : []),
        ];
        const created = await change(
          session,
          { docker, route: api.volumes.create, input: { params, body } },
          () => session.client.volumes.create({ params, body }),
        );
        if (created) io.out(created.name);
      },
    );

  volume
    .command('rm')
    .alias('remove')
    .description('Remove volumes')
    .argument('<names...>')
    .option('-f, --force', 'Remove even if the engine holds it')
    .action(async (names: string[], options: { force?: boolean }, command: Command) => {
      const session = sessionOf(command);
      const query = options.force ? { force: 'true' as const } : {};
      const results = await Promise.all(
        names.map((name) =>
          item(name, () => {
            const params = { host: session.host, name };
            const docker = ['docker', 'volume', 'rm', ...(options.force ? ['--force'] : []), name];
            return change(
              session,
              { docker, route: api.volumes.remove, input: { params, query } },
              () => session.client.volumes.remove({ params, query }),
            );
          }),
        ),
      );
      if (!session.dryRun) reportItems(results);
    });

  registerPrune(volume, {
    kind: 'volumes',
    docker: ['docker', 'volume', 'prune', '--all'],
    route: api.volumes.prune,
    call: (session, body) => session.client.volumes.prune({ params: { host: session.host }, body }),
  });

  volume
    .command('backup')
    .description("Back up a volume to a compressed tar in Berth's data directory")
    .argument('<name>')
    .option('--stop-containers', 'Stop the containers using it during the copy, start them after')
    .action(async (name: string, options: { stopContainers?: boolean }, command: Command) => {
      const session = sessionOf(command);
      const params = { host: session.host, name };
      const body = { stopContainers: options.stopContainers === true };
      const backup = await change(
        session,
        {
          docker: tarCommand(name, `${name}.tar.gz`, 'create'),
          route: api.volumes.backup,
          input: { params, body },
        },
        () => session.client.volumes.backup({ params, body }),
      );
      if (!backup) return;
      io.err(`${backup.files} files, ${bytes(backup.sizeBytes)}`);
      io.out(backup.id);
    });

  volume
    .command('backups')
    .description("A volume's backups, newest first")
    .argument('<name>')
    .option('-o, --output <format>', 'table, wide, json, yaml or name')
    .action(async (name: string, options: { output?: string }, command: Command) => {
      const format = parseOutputFormat(options.output);
      const session = sessionOf(command);
      const answer = await session.client.volumes.backups({ params: { host: session.host, name } });
      printList(format, answer, answer.backups, backupColumns, (b) => `backup/${b.id}`);
    });

  volume
    .command('restore')
    .description('Restore a backup into a new volume, or into an existing empty one (--target)')
    .argument('<name>', 'The volume the backup was made of')
    .argument('<backup>', 'The backup id (berth volume backups NAME)')
    .option('--target <volume>', 'Restore into this volume (created if missing, must be empty)')
    .action(
      async (name: string, backupId: string, options: { target?: string }, command: Command) => {
        const session = sessionOf(command);
        const params = { host: session.host, name, backupId };
        const body = options.target ? { target: options.target } : {};
        const target = options.target ?? `${name}-restored`;
        const restored = await change(
          session,
          {
            docker: [
              ['docker', 'volume', 'create', target],
              tarCommand(target, `${backupId}.tar.gz`, 'extract'),
            ],
            route: api.volumes.restore,
            input: { params, body },
          },
          () => session.client.volumes.restore({ params, body }),
        );
        if (!restored) return;
        io.err(`${restored.files} files restored`);
        io.out(restored.volume);
      },
    );

  volume
    .command('inspect')
    .description('Everything about volumes (JSON, or -o yaml)')
    .argument('<names...>')
    .option('-o, --output <format>', 'json or yaml', 'json')
    .action(async (names: string[], options: { output?: string }, command: Command) => {
      const session = sessionOf(command);
      const details = await Promise.all(
        names.map((name) => session.client.volumes.get({ params: { host: session.host, name } })),
      );
      printInspect(options.output, details);
    });
}
