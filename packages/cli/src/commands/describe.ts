import type { Host, HostInfo, StackDetail, UserView } from '@berth/contract';
import type { Command } from 'commander';
import { sessionOf } from '../core/command.js';
import { CliError, UsageError, describeError } from '../core/errors.js';
import { io, paint } from '../core/io.js';
import { bytes, printData } from '../core/output.js';
import type { Session } from '../core/session.js';
import {
  describeContainer,
  describeImage,
  describeNetwork,
  describeVolume,
} from './describe-engine.js';
import { DescribePage, when } from './describe-page.js';

function describeStack(s: StackDetail): DescribePage {
  const page = new DescribePage()
    .field('Name', s.name)
    .field('Host', s.host)
    .field('Source', s.source)
    .field('State', s.state)
    .field('Message', s.message)
    .field('Folder', s.workingDir)
    .list('Config Files', s.configFiles)
    .field('Updated', when(s.updatedAt))
    .field(
      'Last Deploy',
      s.lastDeploy
        ? `${when(s.lastDeploy.at)}${s.lastDeploy.by ? ` by ${s.lastDeploy.by}` : ''}: ${s.lastDeploy.ok ? 'ok' : 'failed'}`
        : null,
    );
  page.section(`Services (${s.services.length})`, (p) => {
    for (const v of s.services) {
      p.text(`${v.name}: ${v.state} ${v.running}/${v.total}${v.image ? ` ${v.image}` : ''}`);
      for (const c of v.containers) p.text(`  ${c.name}: ${c.status || c.state}`);
    }
  });
  page.list(
    'Files',
    s.files.map((f) => `${f.path} (${bytes(f.size)})`),
  );
  page.list(
    'Issues',
    s.issues.map((i) => JSON.stringify(i)),
  );
  return page;
}

function describeHost(h: Host, info: HostInfo | string): DescribePage {
  const page = new DescribePage()
    .field('Name', h.id)
    .field('Kind', h.kind)
    .field('URL', h.url)
    .field('Endpoint', h.endpoint)
    .field('Transport', h.transport)
    .field('State', `${h.reachable ? 'reachable' : 'unreachable'} since ${when(h.since)}`)
    .field('Error', h.error)
    .field('Engine', h.version ? `${h.version} (API ${h.apiVersion ?? '?'})` : null)
    .field('Engine ID', h.engineId)
    .field('Latency', h.latencyMs === null ? null : `${Math.round(h.latencyMs)}ms`)
    .field('Last Event', when(h.lastEventAt))
    .list('Labels', h.labels)
    .field(
      'TLS',
      h.tls.configured ? `yes${h.tls.serverName ? ` (${h.tls.serverName})` : ''}` : 'no',
    )
    .field('SSH', h.ssh ? `${h.ssh.user}, host key ${h.ssh.hostKey}` : null);
  page.section('Counts', (p) =>
    p
      .field('Containers', `${h.counts.running} running of ${h.counts.containers}`)
      .field('Images', h.counts.images)
      .field('Networks', h.counts.networks)
      .field('Volumes', h.counts.volumes),
  );
  if (typeof info === 'string') return page.field('Info', `unavailable: ${info}`);
  page.section('Machine', (p) =>
    p
      .field('OS', `${info.engine.os} (${info.engine.kernelVersion})`)
      .field('Architecture', info.engine.architecture)
      .field('CPUs', info.engine.ncpu)
      .field('Memory', bytes(info.engine.memTotal))
      .field('Storage Driver', info.engine.storageDriver)
      .field('Cgroup', `${info.engine.cgroupDriver} v${info.engine.cgroupVersion}`)
      .field('Docker Root', info.engine.dockerRootDir),
  );
  return page;
}

function describeUser(u: UserView): DescribePage {
  return new DescribePage()
    .field('Name', u.username)
    .field('ID', u.id)
    .field('Role', u.role)
    .field('Status', u.disabled ? 'disabled' : 'active')
    .field('2FA', u.totpEnabled ? 'on' : 'off')
    .field('Must Change Password', u.mustChangePassword)
    .list('Hosts', u.role === 'admin' ? ['all (admin)'] : u.hosts)
    .list('Host Labels', u.hostLabels)
    .field('Created', when(u.createdAt))
    .field('Last Login', when(u.lastLoginAt));
}

/** A kind `describe` knows: the get route's answer (what -o prints) and its page. */
interface Describer {
  aliases: string[];
  read(
    session: Session,
    name: string,
  ): Promise<{ answer: unknown; page: () => Promise<DescribePage> }>;
}

const describers: Record<string, Describer> = {
  container: {
    aliases: ['containers'],
    read: async (session, id) => {
      const answer = await session.client.containers.get({ params: { host: session.host, id } });
      return { answer, page: () => Promise.resolve(describeContainer(answer, session.host)) };
    },
  },
  image: {
    aliases: ['images'],
    read: async (session, id) => {
      const params = { host: session.host, id };
      const answer = await session.client.images.inspect({ params });
      return {
        answer,
        page: async () => {
          const [history, list] = await Promise.all([
            session.client.images.history({ params }),
            session.client.images.list({ params: { host: session.host } }),
          ]);
          const summary = list.images.find((i) => i.id === answer.Id);
          return describeImage(answer, history, summary);
        },
      };
    },
  },
  network: {
    aliases: ['networks', 'net'],
    read: async (session, id) => {
      const answer = await session.client.networks.get({ params: { host: session.host, id } });
      return { answer, page: () => Promise.resolve(describeNetwork(answer, session.host)) };
    },
  },
  volume: {
    aliases: ['volumes', 'vol'],
    read: async (session, name) => {
      const answer = await session.client.volumes.get({ params: { host: session.host, name } });
      return { answer, page: () => Promise.resolve(describeVolume(answer, session.host)) };
    },
  },
  stack: {
    aliases: ['stacks'],
    read: async (session, name) => {
      const answer = await session.client.stacks.get({ params: { host: session.host, name } });
      return { answer, page: () => Promise.resolve(describeStack(answer)) };
    },
  },
  host: {
    aliases: ['hosts'],
    read: async (session, host) => {
      const answer = await session.client.hosts.get({ params: { host } });
      return {
        answer,
        page: async () => {
          const info = answer.reachable
            ? await session.client.hosts.info({ params: { host } }).catch(describeError)
            : (answer.error ?? 'unreachable');
          return describeHost(answer, info);
        },
      };
    },
  },
  user: {
    aliases: ['users'],
    read: async (session, name) => {
      const { users } = await session.client.users.list();
      const found = users.find(
        (u) => u.username.toLowerCase() === name.toLowerCase() || u.id === name,
      );
      if (!found) throw new CliError(`user "${name}" not found`);
      const answer = await session.client.users.get({ params: { id: found.id } });
      return { answer, page: () => Promise.resolve(describeUser(answer)) };
    },
  },
};

function describerOf(kind: string): Describer {
  const entry = Object.entries(describers).find(
    ([name, d]) => name === kind || d.aliases.includes(kind),
  );
  if (!entry)
    throw new UsageError(
      `cannot describe "${kind}": describe ${Object.keys(describers).join(', ')}`,
    );
  return entry[1];
}

export function registerDescribe(program: Command): void {
  program
    .command('describe')
    .description(`Show one resource in detail: ${Object.keys(describers).join(', ')}`)
    .argument('<kind>', Object.keys(describers).join(', '))
    .argument('<names...>', 'By name or id (prefix)')
    .option('-o, --output <format>', 'json or yaml: the API answer, as it came')
    .action(
      async (kind: string, names: string[], options: { output?: string }, command: Command) => {
        const describer = describerOf(kind);
        const format = options.output;
        if (format !== undefined && format !== 'json' && format !== 'yaml')
          throw new UsageError(`-o must be json or yaml for describe (got "${format}")`);
        const session = sessionOf(command);
        const failed: string[] = [];
        for (const [i, name] of names.entries()) {
          try {
            const { answer, page } = await describer.read(session, name);
            if (format) printData(format, answer);
            else {
              if (i > 0) io.out('');
              (await page()).print();
            }
          } catch (err) {
            if (names.length === 1) throw err;
            // Each name is tried; the failures are named after the others are shown.
            io.err(`${paint('red', 'error')}: ${name}: ${describeError(err)}`);
            failed.push(name);
          }
        }
        if (failed.length > 0) throw new CliError(`${failed.length} of ${names.length} not shown`);
      },
    );
}
