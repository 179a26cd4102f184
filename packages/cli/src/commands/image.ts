import { api, type ImageHistory, type TransferResult } from '@berth/contract';
import type { Command } from 'commander';
import { change, reportItems, type ItemResult } from '../core/change.js';
import { sessionOf } from '../core/command.js';
import { CliError, describeError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import {
  age,
  bytes,
  parseOutputFormat,
  printData,
  printList,
  type Column,
} from '../core/output.js';
import { confirm } from '../core/prompt.js';
import type { Session } from '../core/session.js';
import { followHostEvents } from './host-events.js';
import { registerImageBuild } from './image-build.js';
import { TransferProgress } from './image-progress.js';

type Layer = ImageHistory['layers'][number];

const historyColumns: Column<Layer>[] = [
  { header: 'IMAGE', value: (l) => (l.id.startsWith('sha256:') ? l.id.slice(7, 19) : l.id) },
  { header: 'CREATED', value: (l) => age(l.created) },
  { header: 'CREATED BY', value: (l) => l.createdBy, shrink: true },
  { header: 'SIZE', value: (l) => bytes(l.size) },
  { header: 'TAGS', value: (l) => l.tags.join(','), wide: true },
];

/** `repo[:tag]` → the parts of a tag request; a registry's `:port` is not a tag. */
export function splitReference(reference: string): { repository: string; tag: string } {
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) {
    return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  }
  return { repository: reference, tag: 'latest' };
}

async function transfer(
  session: Session,
  operation: 'pull' | 'push',
  image: string,
): Promise<void> {
  const params = { host: session.host };
  const body = { image, wait: true };
  const result = await change(
    session,
    { docker: ['docker', operation, image], route: api.images[operation], input: { params, body } },
    async (): Promise<TransferResult> => {
      const progress = new TransferProgress();
      const follow = await followHostEvents(session, (m) => {
        if (m.type === 'progress' && m.operation === operation) progress.update(m);
      });
      try {
        return await session.client.images[operation]({ params, body });
      } finally {
        follow.close();
      }
    },
  );
  if (!result) return;
  if (result.status !== 'done')
    throw new CliError(
      `${operation} ${image} ${result.status}: ${result.error ?? 'no reason given'}`,
    );
  io.out(
    `${result.image}: ${operation === 'pull' ? 'pulled' : 'pushed'}${result.digest ? ` (${result.digest})` : ''}`,
  );
}

export function registerImage(program: Command): void {
  const image = program
    .command('image')
    .description('Images: pull, push, build, tag, rm, prune, inspect, history');

  image
    .command('pull')
    .description('Pull an image, with its progress per layer (docker pull)')
    .argument('<image>', 'Like busybox:1.36 or registry.local:5000/team/app:2')
    .action(async (reference: string, _options: unknown, command: Command) => {
      await transfer(sessionOf(command), 'pull', reference);
    });

  image
    .command('push')
    .description('Push an image to its registry, with its progress per layer (docker push)')
    .argument('<image>', 'A tag naming its registry, like registry.local:5000/team/app:2')
    .action(async (reference: string, _options: unknown, command: Command) => {
      await transfer(sessionOf(command), 'push', reference);
    });

  registerImageBuild(image);

  image
    .command('tag')
    .description('Add a tag to an image (docker tag)')
    .argument('<source>', 'The image: id, id prefix or reference')
    .argument('<target>', 'The new reference, repo[:tag]')
    .action(async (source: string, target: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const params = { host: session.host, id: source };
      const body = splitReference(target);
      const done = await change(
        session,
        {
          docker: ['docker', 'tag', source, target],
          route: api.images.tag,
          input: { params, body },
        },
        () => session.client.images.tag({ params, body }),
      );
      if (done) io.out(`${source} tagged ${body.repository}:${body.tag}`);
    });

  image
    .command('rm')
    .description('Remove (or untag) images, each reported (docker rmi)')
    .argument('<images...>', 'Ids, id prefixes or references')
    .option('-f, --force', 'Also when containers use it, or it has several tags')
    .action(async (ids: string[], options: { force?: boolean }, command: Command) => {
      const session = sessionOf(command);
      const query = options.force ? { force: 'true' as const } : {};
      const results: ItemResult[] = [];
      for (const id of ids) {
        const params = { host: session.host, id };
        try {
          const done = await change(
            session,
            {
              docker: ['docker', 'rmi', ...(options.force ? ['--force'] : []), id],
              route: api.images.remove,
              input: { params, query },
            },
            () => session.client.images.remove({ params, query }),
          );
          if (done) results.push({ name: id, ok: true, message: 'removed' });
        } catch (err) {
          results.push({ name: id, ok: false, message: describeError(err) });
        }
      }
      reportItems(results);
    });

  image
    .command('prune')
    .description('Remove dangling images, or with -a every unused one (docker image prune)')
    .option('-a, --all', 'Every image no container uses, not only untagged ones')
    .option('--filter-label <label>', 'Only images with this label (key or key=value)')
    .option('-y, --yes', 'Do not ask')
    .action(
      async (options: { all?: boolean; yes?: boolean; filterLabel?: string }, command: Command) => {
        const session = sessionOf(command);
        const params = { host: session.host };
        const mode = options.all ? ('unused' as const) : ('dangling' as const);
        const label = options.filterLabel ? { label: options.filterLabel } : {};
        const body = { mode, ...label, dryRun: false };
        const docker = ['docker', 'image', 'prune', '--force', ...(options.all ? ['--all'] : [])];
        if (session.dryRun) {
          await change(session, { docker, route: api.images.prune, input: { params, body } }, () =>
            Promise.resolve(null),
          );
          return;
        }
        const preview = await session.client.images.prune({
          params,
          body: { ...body, dryRun: true },
        });
        if (preview.removed.length === 0) {
          io.out('Nothing to prune.');
          return;
        }
        for (const r of preview.removed) io.err(`would remove ${r.name}`);
        const what = `${preview.removed.length} image${preview.removed.length === 1 ? '' : 's'}`;
        if (!(await confirm(`Remove ${what}?`, { yes: options.yes }))) return;
        const result = await session.client.images.prune({ params, body });
        io.out(`Reclaimed ${bytes(result.reclaimedBytes)}.`);
        reportItems([
          ...result.removed.map((r) => ({ name: r.name, ok: true, message: 'removed' })),
          ...result.failed.map((f) => ({ name: f.id, ok: false, message: f.error })),
        ]);
      },
    );

  image
    .command('inspect')
    .description("The engine's inspect answer (docker image inspect)")
    .argument('<image>', 'Id, id prefix or reference')
    .option('-o, --output <format>', 'json (the default) or yaml')
    .action(async (id: string, options: { output?: string }, command: Command) => {
      const format = options.output ?? 'json';
      if (format !== 'json' && format !== 'yaml') throw new UsageError('-o must be json or yaml');
      const session = sessionOf(command);
      printData(
        format,
        await session.client.images.inspect({ params: { host: session.host, id } }),
      );
    });

  image
    .command('history')
    .description("An image's layers (docker history)")
    .argument('<image>', 'Id, id prefix or reference')
    .option('-o, --output <format>', 'table, wide, json or yaml')
    .action(async (id: string, options: { output?: string }, command: Command) => {
      const format = parseOutputFormat(options.output);
      const session = sessionOf(command);
      const answer = await session.client.images.history({ params: { host: session.host, id } });
      printList(format, answer, answer.layers, historyColumns, (l) => l.id);
    });
}
