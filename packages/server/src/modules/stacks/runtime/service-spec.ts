import {
  ContainerSpec,
  type ComposeProject,
  type ComposeService,
  type MountSpec,
  type PortSpec,
} from '@berth/contract';
import { containerLabels, formatDependsOn, STACK_FIELDS, STACK_HASH } from '../compose-labels.js';
import { serviceFields, type ContentSeal } from './service-fields.js';
import { fileCopies, fileMounts, type FileCopy } from './service-files.js';
import {
  durationSeconds,
  invalid,
  sha256,
  sizeBytes,
  stableJson,
  unsupported,
} from './compose-values.js';

/** One container of a service as Berth will create it, and the digests plan compares. */
export interface DesiredContainer {
  service: string;
  number: number;
  name: string;
  spec: ContainerSpec;
  /** SHA-256 of the spec (less its name): the same for every replica. */
  hash: string;
  /** Short digests per compose field, to say what differs from a container made earlier. */
  fields: Record<string, string>;
  /** Secrets and configs with content, copied in before the container starts. */
  copies: FileCopy[];
}

/** The image a service runs: its own, or `<project>-<service>` for one built without a name. */
export function serviceImage(
  project: ComposeProject,
  name: string,
  service: ComposeService,
): string {
  if (service.image) return service.image;
  if (service.build) return `${project.name}-${name}`;
  throw invalid(`services.${name}.image`, 'a service needs an image or a build');
}

export function containerName(project: ComposeProject, name: string, number: number): string {
  return project.services[name]?.container_name ?? `${project.name}-${name}-${number}`;
}

function ports(path: string, service: ComposeService): PortSpec[] {
  return service.ports.map((p, i) => {
    const published = p.published;
    if (published !== undefined && !/^\d+$/.test(published)) {
      const [from, to] = published.split('-');
      if (from !== to) throw unsupported(`${path}.ports[${i}].published`, 'a range of host ports');
    }
    const hostPort = published === undefined ? undefined : Number(published.split('-')[0]);
    return {
      containerPort: p.target,
      protocol: p.protocol,
      ...(hostPort !== undefined ? { hostPort } : {}),
      ...(p.host_ip ? { hostIp: p.host_ip } : {}),
    };
  });
}

function volumeMounts(path: string, project: ComposeProject, service: ComposeService): MountSpec[] {
  return service.volumes.map((v, i): MountSpec => {
    const at = `${path}.volumes[${i}]`;
    if (v.bind?.propagation) throw unsupported(`${at}.bind.propagation`, 'bind propagation');
    if (v.volume?.subpath) throw unsupported(`${at}.volume.subpath`, 'a volume subpath');
    if (v.volume?.nocopy) throw unsupported(`${at}.volume.nocopy`, 'nocopy');
    const readOnly = v.read_only ?? false;
    if (v.type === 'tmpfs')
      return {
        type: 'tmpfs',
        target: v.target,
        ...(v.tmpfs?.size ? { sizeBytes: v.tmpfs.size } : {}),
        ...(v.tmpfs?.mode !== undefined ? { mode: v.tmpfs.mode } : {}),
      };
    if (v.type === 'bind') {
      if (!v.source) throw invalid(`${at}.source`, 'a bind mount needs a source');
      return {
        type: 'bind',
        source: v.source,
        target: v.target,
        readOnly,
        ...(v.bind?.create_host_path ? { createHostPath: true } : {}),
      };
    }
    if (v.source === undefined) return { type: 'volume', target: v.target, readOnly };
    const volume = project.volumes[v.source];
    if (!volume)
      throw invalid(`${at}.source`, `the volume "${v.source}" is not in the top-level volumes`);
    return { type: 'volume', source: volume.name, target: v.target, readOnly };
  });
}

function tmpfsMounts(path: string, service: ComposeService): MountSpec[] {
  return (service.tmpfs ?? []).map((entry, i) => {
    const [target = '', options = ''] = entry.split(':');
    let size: number | undefined;
    let mode: number | undefined;
    for (const option of options.split(',').filter(Boolean)) {
      const [key, value = ''] = option.split('=');
      if (key === 'size') size = sizeBytes(value) ?? undefined;
      else if (key === 'mode') mode = parseInt(value, 8);
      else throw unsupported(`${path}.tmpfs[${i}]`, `the tmpfs option "${option}"`);
    }
    return {
      type: 'tmpfs' as const,
      target,
      ...(size ? { sizeBytes: size } : {}),
      ...(mode !== undefined ? { mode } : {}),
    };
  });
}

function networks(
  path: string,
  project: ComposeProject,
  name: string,
  service: ComposeService,
): NonNullable<ContainerSpec['networks']> {
  const mode = service.network_mode;
  if (mode !== undefined) {
    if (mode.startsWith('service:'))
      return [{ name: `container:${containerName(project, mode.slice(8), 1)}` }];
    return [{ name: mode }];
  }
  const attached = Object.entries(service.networks ?? { default: null });
  attached.sort(([, a], [, b]) => (b?.priority ?? 0) - (a?.priority ?? 0));
  return attached.map(([key, options]) => {
    const network = project.networks[key];
    if (!network && key !== 'default')
      throw invalid(
        `${path}.networks.${key}`,
        `the network "${key}" is not in the top-level networks`,
      );
    return {
      name: network?.name ?? `${project.name}_default`,
      aliases: [name, ...(options?.aliases ?? [])],
      ...(options?.ipv4_address ? { ipv4Address: options.ipv4_address } : {}),
      ...(options?.ipv6_address ? { ipv6Address: options.ipv6_address } : {}),
    };
  });
}

function restartPolicy(path: string, restart: string | undefined): ContainerSpec['restartPolicy'] {
  if (restart === undefined) return undefined;
  const [policy = '', retries] = restart.split(':');
  if (
    policy !== 'no' &&
    policy !== 'always' &&
    policy !== 'unless-stopped' &&
    policy !== 'on-failure'
  )
    throw invalid(`${path}.restart`, 'no, always, unless-stopped or on-failure[:N]');
  return { name: policy, ...(retries ? { maximumRetryCount: Number(retries) } : {}) };
}

function healthcheck(path: string, service: ComposeService): ContainerSpec['healthcheck'] {
  const h = service.healthcheck;
  if (!h) return undefined;
  if (h.disable) return { test: ['NONE'] };
  if (h.start_interval) throw unsupported(`${path}.healthcheck.start_interval`, 'start_interval');
  if (!h.test) throw unsupported(`${path}.healthcheck`, 'a healthcheck without a test');
  return {
    test: h.test,
    // 0 is compose's "the default", as it is the engine's.
    ...(h.interval && durationSeconds(h.interval) > 0
      ? { intervalS: durationSeconds(h.interval) }
      : {}),
    ...(h.timeout && durationSeconds(h.timeout) > 0
      ? { timeoutS: durationSeconds(h.timeout) }
      : {}),
    ...(h.retries !== undefined ? { retries: h.retries } : {}),
    ...(h.start_period ? { startPeriodS: durationSeconds(h.start_period) } : {}),
  };
}

/** `service:<name>` in pid/ipc is that service's first container. */
function sharedMode(project: ComposeProject, mode: string | undefined): string | undefined {
  if (!mode?.startsWith('service:')) return mode;
  return `container:${containerName(project, mode.slice('service:'.length), 1)}`;
}

function resources(path: string, service: ComposeService): ContainerSpec['resources'] {
  const { limits, reservations } = service.deploy?.resources ?? {};
  if (reservations?.cpus)
    throw unsupported(`${path}.deploy.resources.reservations.cpus`, 'a CPU reservation');
  if (reservations?.pids)
    throw unsupported(`${path}.deploy.resources.reservations.pids`, 'a pids reservation');
  const spec = {
    ...(limits?.memory ? { memoryBytes: limits.memory } : {}),
    ...(limits?.cpus ? { cpus: Number(limits.cpus) } : {}),
    ...(limits?.pids ? { pidsLimit: limits.pids } : {}),
    ...(reservations?.memory ? { memoryReservationBytes: reservations.memory } : {}),
  };
  return Object.keys(spec).length > 0 ? spec : undefined;
}

/** The container spec of a service (less its labels), every option mapped or refused by name. */
function baseSpec(project: ComposeProject, name: string, service: ComposeService): ContainerSpec {
  const path = `services.${name}`;
  const env = Object.fromEntries(
    Object.entries(service.environment).filter((e): e is [string, string] => e[1] !== null),
  );
  const mounts = [
    ...volumeMounts(path, project, service),
    ...tmpfsMounts(path, service),
    ...fileMounts(path, project, service),
  ];
  const spec: ContainerSpec = {
    image: serviceImage(project, name, service),
    ...(service.command ? { command: service.command } : {}),
    ...(service.entrypoint ? { entrypoint: service.entrypoint } : {}),
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ports: ports(path, service),
    ...(service.expose?.length ? { expose: service.expose } : {}),
    mounts,
    networks: networks(path, project, name, service),
    restartPolicy: restartPolicy(path, service.restart),
    resources: resources(path, service),
    healthcheck: healthcheck(path, service),
    user: service.user,
    workingDir: service.working_dir,
    hostname: service.hostname,
    domainname: service.domainname,
    capAdd: service.cap_add,
    capDrop: service.cap_drop,
    devices: service.devices?.map((d) => ({
      hostPath: d.source,
      containerPath: d.target,
      permissions: d.permissions ?? 'rwm',
    })),
    privileged: service.privileged,
    pidMode: sharedMode(project, service.pid),
    ipcMode: sharedMode(project, service.ipc),
    securityOpt: service.security_opt,
    sysctls: service.sysctls,
    stopTimeoutS: service.stop_grace_period
      ? Math.round(durationSeconds(service.stop_grace_period))
      : undefined,
    stopSignal: service.stop_signal,
    logConfig: service.logging
      ? {
          driver: service.logging.driver ?? 'json-file',
          ...(service.logging.options ? { options: service.logging.options } : {}),
        }
      : undefined,
    ulimits: service.ulimits
      ? Object.entries(service.ulimits).map(([n, l]) => ({ name: n, ...l }))
      : undefined,
    extraHosts: service.extra_hosts?.map((h) => h.replace(/^([^:=]+)=/, '$1:')),
    dns: service.dns,
    dnsSearch: service.dns_search,
    dnsOptions: service.dns_opt,
    init: service.init,
    readOnly: service.read_only,
    shmSizeBytes: service.shm_size,
    tty: service.tty,
    openStdin: service.stdin_open,
    groupAdd: service.group_add,
  };
  return Object.fromEntries(
    Object.entries(spec).filter(([, v]) => v !== undefined),
  ) as ContainerSpec;
}

/**
 * Every container a service wants: its spec with the compose labels and Berth's digests,
 * validated by the same schema as a container made in the UI (a bad value is a 400 naming
 * the service).
 */
export function desiredContainers(
  project: ComposeProject,
  name: string,
  seal: ContentSeal,
): DesiredContainer[] {
  const service = project.services[name];
  if (!service) throw invalid(`services.${name}`, 'no such service');
  if (service.container_name && service.scale > 1)
    throw invalid(
      `services.${name}.container_name`,
      'a fixed container name allows one replica only',
    );
  const base = baseSpec(project, name, service);
  const fields = serviceFields(project, name, service, seal);
  const copies = fileCopies(`services.${name}`, project, service);
  // The copied content is part of the hash (a changed value recreates) only as its keyed
  // digest: the hash is a label anyone who may inspect the container reads.
  const sealed = copies.map((copy) => ({ ...copy, content: seal(copy.content) }));
  const hash = sha256(
    stableJson({
      ...base,
      labels: service.labels,
      ...(copies.length > 0 ? { copies: sealed } : {}),
    }),
  );
  const result: DesiredContainer[] = [];
  for (let number = 1; number <= service.scale; number += 1) {
    const spec: ContainerSpec = {
      ...base,
      name: containerName(project, name, number),
      labels: {
        ...service.labels,
        ...containerLabels({
          project: project.name,
          service: name,
          number,
          workingDir: project.working_dir,
          configFiles: project.config_files,
          dependsOn: formatDependsOn(service.depends_on),
        }),
        [STACK_HASH]: hash,
        [STACK_FIELDS]: JSON.stringify(fields),
      },
    };
    const parsed = ContainerSpec.safeParse(spec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalid(
        `services.${name}`,
        `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      );
    }
    result.push({
      service: name,
      number,
      name: spec.name ?? '',
      spec: parsed.data,
      hash,
      fields,
      copies,
    });
  }
  return result;
}
