import {
  shellJoin,
  type ContainerDetail,
  type ImageHistory,
  type ImageInspect,
  type ImageSummary,
  type NetworkDetail,
  type VolumeSummary,
} from '@berth/contract';
import { bytes } from '../core/output.js';
import { DescribePage, when } from './describe-page.js';

/** A path into an engine inspect answer (a free-form record), as a value of the type asked. */
function at<T>(record: unknown, ...path: string[]): T | undefined {
  let value: unknown = record;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value as T | undefined;
}

interface HealthProbe {
  Start?: string;
  ExitCode?: number;
  Output?: string;
}

type PortBindings = Record<string, { HostIp?: string; HostPort?: string }[] | null>;

/** Published ports as the engine bound them (the host port it chose), else as asked. */
function ports(c: ContainerDetail): string[] {
  const bound = at<PortBindings>(c.inspect, 'NetworkSettings', 'Ports') ?? {};
  const live = Object.entries(bound).flatMap(([port, bindings]) =>
    (bindings ?? []).map((b) => `${b.HostIp ? `${b.HostIp}:` : ''}${b.HostPort ?? ''}->${port}`),
  );
  if (live.length > 0) return live;
  return (c.spec.ports ?? []).map(
    (p) =>
      `${p.hostIp ? `${p.hostIp}:` : ''}${p.hostPort ?? '(any)'}->${p.containerPort}/${p.protocol}`,
  );
}

export function describeContainer(c: ContainerDetail, host: string): DescribePage {
  const spec = c.spec;
  const page = new DescribePage()
    .field('Name', c.name)
    .field('ID', c.id.slice(0, 12))
    .field('Host', host)
    .field('Environment', c.environment)
    .field('Managed by Berth', c.managed)
    .field('Created', when(at<string>(c.inspect, 'Created')));
  page.section('State', (p) => {
    p.field('Status', c.health ? `${c.state} (${c.health})` : c.state)
      .field('Started', when(c.startedAt))
      .field('Finished', c.state === 'running' ? null : when(c.finishedAt))
      .field('Exit Code', c.exitCode)
      .field('OOM Killed', c.oomKilled)
      .field('Restart Count', c.restartCount);
  });
  page.section('Image', (p) => p.field('Reference', c.image).field('ID', c.imageId));
  page.section('Command', (p) =>
    p
      .field('Entrypoint', spec.entrypoint ? shellJoin(spec.entrypoint) : null)
      .field('Command', spec.command ? shellJoin(spec.command) : null)
      .field('Working Dir', spec.workingDir)
      .field('User', spec.user),
  );
  // Values are shown as the API gave them: masked for those who may not read them.
  page.pairs('Environment Variables', spec.env);
  page.list('Ports', ports(c));
  page.list(
    'Mounts',
    (spec.mounts ?? []).map((m) => {
      const source = m.type === 'tmpfs' ? 'tmpfs' : (m.source ?? '(anonymous)');
      const ro = m.type !== 'tmpfs' && m.readOnly ? ' (read-only)' : '';
      return `${m.type} ${source} -> ${m.target}${ro}`;
    }),
  );
  page.list(
    'Networks',
    // The spec names the networks asked for; one joined by default (bridge) is only live.
    (spec.networks?.length
      ? spec.networks.map((n) => n.name)
      : Object.keys(at<Record<string, unknown>>(c.inspect, 'NetworkSettings', 'Networks') ?? {})
    ).map((name) => {
      const ip = at<string>(c.inspect, 'NetworkSettings', 'Networks', name, 'IPAddress');
      return ip ? `${name} (${ip})` : name;
    }),
  );
  page.pairs('Labels', spec.labels);
  const probes = at<HealthProbe[]>(c.inspect, 'State', 'Health', 'Log') ?? [];
  const last = probes[probes.length - 1];
  if (!spec.healthcheck && !c.health) page.field('Health', null);
  else
    page.section('Health', (p) =>
      p
        .field('Status', c.health)
        .field('Check', spec.healthcheck ? shellJoin(spec.healthcheck.test) : null)
        .field('Interval', spec.healthcheck?.intervalS ? `${spec.healthcheck.intervalS}s` : null)
        .field(
          'Last Probe',
          last ? `exit ${last.ExitCode ?? '?'}: ${(last.Output ?? '').trim().slice(0, 200)}` : null,
        ),
    );
  const policy = spec.restartPolicy;
  page.field(
    'Restart Policy',
    policy
      ? `${policy.name}${policy.maximumRetryCount ? ` (max ${policy.maximumRetryCount} retries)` : ''}`
      : 'no',
  );
  page.section('Resources', (p) =>
    p
      .field(
        'Memory',
        spec.resources?.memoryBytes ? bytes(spec.resources.memoryBytes) : 'unlimited',
      )
      .field('CPUs', spec.resources?.cpus ?? 'unlimited')
      .field('PIDs', spec.resources?.pidsLimit ?? 'unlimited'),
  );
  page.field('Docker Run', c.cli);
  return page;
}

const LAYERS_SHOWN = 12;

export function describeImage(
  inspect: ImageInspect,
  history: ImageHistory,
  summary: ImageSummary | undefined,
): DescribePage {
  const config = (inspect.Config ?? {}) as Record<string, unknown>;
  const tags = at<string[]>(inspect, 'RepoTags') ?? [];
  const page = new DescribePage()
    .field('Name', tags[0] ?? summary?.shortId)
    .field('ID', at<string>(inspect, 'Id'))
    .list('Tags', tags)
    .list('Digests', at<string[]>(inspect, 'RepoDigests') ?? [])
    .field('Created', when(at<string>(inspect, 'Created')))
    .field('Size', bytes(at<number>(inspect, 'Size')))
    .field(
      'Platform',
      `${at<string>(inspect, 'Os') ?? '?'}/${at<string>(inspect, 'Architecture') ?? '?'}`,
    )
    .list('Previous Tags', summary?.previousTags ?? []);
  page.section('Config', (p) => {
    const words = (key: string) => at<string[] | null>(config, key);
    const entrypoint = words('Entrypoint');
    const cmd = words('Cmd');
    p.field('Entrypoint', entrypoint ? shellJoin(entrypoint) : null)
      .field('Command', cmd ? shellJoin(cmd) : null)
      .field('Working Dir', at<string>(config, 'WorkingDir'))
      .field('User', at<string>(config, 'User'))
      .list('Exposed Ports', Object.keys(at<Record<string, unknown>>(config, 'ExposedPorts') ?? {}))
      .list('Env', at<string[]>(config, 'Env') ?? []);
  });
  page.pairs('Labels', at<Record<string, string>>(config, 'Labels'));
  const layers = history.layers;
  page.section(`Layers (${layers.length})`, (p) => {
    for (const layer of layers.slice(0, LAYERS_SHOWN)) {
      const step = layer.createdBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, '').trim();
      p.text(`${bytes(layer.size).padStart(9)}  ${step.slice(0, 100) || '<none>'}`);
    }
    if (layers.length > LAYERS_SHOWN) p.text(`… ${layers.length - LAYERS_SHOWN} more`);
  });
  page.list(
    'Used By',
    (summary?.usedBy ?? []).map((u) => `${u.name} (${u.state})`),
  );
  return page;
}

export function describeNetwork(n: NetworkDetail, host: string): DescribePage {
  const page = new DescribePage()
    .field('Name', n.name)
    .field('ID', n.id.slice(0, 12))
    .field('Host', host)
    .field('Driver', n.driver)
    .field('Scope', n.scope)
    .field('Internal', n.internal)
    .field('Attachable', n.attachable)
    .field('Built In', n.builtIn)
    .field('Created', when(n.created));
  page.list(
    'Subnets',
    n.subnets.map(
      (s) =>
        `${s.subnet}${s.gateway ? ` gateway ${s.gateway}` : ''}${s.ipRange ? ` range ${s.ipRange}` : ''}`,
    ),
  );
  if (n.oversized) page.field('Note', n.oversized.reason);
  page.pairs('Labels', n.labels);
  page.list(
    'Containers',
    n.members.map((m) => `${m.name}${m.ipv4 ? ` (${m.ipv4})` : ''}`),
  );
  page.list(
    'Reservations',
    n.reservations.map((r) => `${r.ip} ${r.purpose}`),
  );
  return page;
}

export function describeVolume(v: VolumeSummary, host: string): DescribePage {
  return new DescribePage()
    .field('Name', v.name)
    .field('Host', host)
    .field('Driver', v.driver)
    .field('Scope', v.scope)
    .field('Mountpoint', v.mountpoint)
    .field('Created', when(v.createdAt))
    .field('Size', bytes(v.sizeBytes))
    .pairs('Labels', v.labels)
    .pairs('Options', v.options)
    .list(
      'Used By',
      v.usedBy.map((u) => `${u.name} (${u.state}) at ${u.destination}`),
    );
}
