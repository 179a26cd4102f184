import {
  type ContainerSpec,
  formatSize,
  parseSize,
  shellJoin,
  splitShellWords,
} from '@berth/contract';

/**
 * The container form as typed: strings and rows, so half-typed input survives a reload.
 * `draftToBody` turns it into the create body, which the contract's schema then checks;
 * `draftFromSpec` fills the form from a container's spec for editing.
 */
export interface PortRow {
  hostIp: string;
  hostPort: string;
  containerPort: string;
  protocol: 'tcp' | 'udp';
}
export interface MountRow {
  type: 'volume' | 'bind' | 'tmpfs';
  source: string;
  target: string;
  readOnly: boolean;
  /** As typed: 64m, 1g, 512MiB or bytes. */
  size: string;
}
export interface NetworkRow {
  name: string;
  ipv4Address: string;
  reservation: string;
  aliases: string;
}
export interface DeviceRow {
  hostPath: string;
  containerPath: string;
  permissions: string;
}

export interface Draft {
  name: string;
  image: string;
  command: string;
  entrypoint: string;
  env: string;
  labels: string;
  ports: PortRow[];
  mounts: MountRow[];
  networks: NetworkRow[];
  restart: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  maxRetries: string;
  /** As typed: 512m, 1.5g, 64MiB or bytes. */
  memory: string;
  cpus: string;
  pidsLimit: string;
  healthForm: 'CMD-SHELL' | 'CMD';
  healthCommand: string;
  healthIntervalS: string;
  healthTimeoutS: string;
  healthRetries: string;
  healthStartPeriodS: string;
  user: string;
  workingDir: string;
  hostname: string;
  capAdd: string;
  capDrop: string;
  devices: DeviceRow[];
  privileged: boolean;
  pidMode: string;
  ipcMode: string;
  utsHost: boolean;
  usernsHost: boolean;
  cgroupnsHost: boolean;
  securityOpt: string;
  sysctls: string;
  stopTimeoutS: string;
  logDriver: string;
  logOptions: string;
  environment: string;
  autoStart: boolean;
}

export const EMPTY_DRAFT: Draft = {
  name: '',
  image: '',
  command: '',
  entrypoint: '',
  env: '',
  labels: '',
  ports: [],
  mounts: [],
  networks: [],
  restart: 'no',
  maxRetries: '',
  memory: '',
  cpus: '',
  pidsLimit: '',
  healthForm: 'CMD-SHELL',
  healthCommand: '',
  healthIntervalS: '',
  healthTimeoutS: '',
  healthRetries: '',
  healthStartPeriodS: '',
  user: '',
  workingDir: '',
  hostname: '',
  capAdd: '',
  capDrop: '',
  devices: [],
  privileged: false,
  pidMode: '',
  ipcMode: '',
  utsHost: false,
  usernsHost: false,
  cgroupnsHost: false,
  securityOpt: '',
  sysctls: '',
  stopTimeoutS: '',
  logDriver: '',
  logOptions: '',
  environment: '',
  autoStart: true,
};

export const newPortRow = (): PortRow => ({
  hostIp: '',
  hostPort: '',
  containerPort: '',
  protocol: 'tcp',
});
export const newMountRow = (): MountRow => ({
  type: 'volume',
  source: '',
  target: '',
  readOnly: false,
  size: '',
});
export const newNetworkRow = (): NetworkRow => ({
  name: '',
  ipv4Address: '',
  reservation: '',
  aliases: '',
});
export const newDeviceRow = (): DeviceRow => ({
  hostPath: '',
  containerPath: '',
  permissions: 'rwm',
});

/** Words that do not parse (an open quote) go through as they are; the schema then says so. */
function words(text: string): string[] {
  try {
    return splitShellWords(text);
  } catch {
    return [text];
  }
}
const pairs = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) =>
        l.includes('=') ? [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] : [l, ''],
      ),
  );
const lines = (record: Record<string, string> | undefined): string =>
  Object.entries(record ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
const list = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
/** '' means "not set"; anything else becomes a number (NaN for junk, which the schema names). */
const num = (text: string): number | undefined => (text.trim() ? Number(text) : undefined);
/** A size in docker's units ("512m"); NaN for text that is not one, which the schema names. */
const bytes = (text: string): number | undefined =>
  text.trim() ? (parseSize(text) ?? Number.NaN) : undefined;
const sizeText = (n: number | undefined): string => (n === undefined ? '' : formatSize(n));
const some = <T extends object>(o: T): T | undefined =>
  Object.values(o).some((v) => v !== undefined) ? o : undefined;

/** The create body this draft amounts to; `undefined` fields are left out. */
export function draftToBody(d: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: d.name.trim() || undefined,
    image: d.image.trim(),
    command: d.command.trim() ? words(d.command) : undefined,
    entrypoint: d.entrypoint.trim() ? words(d.entrypoint) : undefined,
    env: d.env.trim() ? pairs(d.env) : undefined,
    labels: d.labels.trim() ? pairs(d.labels) : undefined,
    ports: d.ports.length
      ? d.ports.map((p) => ({
          containerPort: Number(p.containerPort),
          hostPort: num(p.hostPort),
          protocol: p.protocol,
          hostIp: p.hostIp.trim() || undefined,
        }))
      : undefined,
    mounts: d.mounts.length
      ? d.mounts.map((m) =>
          m.type === 'tmpfs'
            ? {
                type: m.type,
                target: m.target,
                sizeBytes: bytes(m.size),
              }
            : {
                type: m.type,
                source: m.source.trim() || undefined,
                target: m.target,
                readOnly: m.readOnly,
              },
        )
      : undefined,
    networks: d.networks.length
      ? d.networks.map((n) => ({
          name: n.name,
          ipv4Address: n.ipv4Address.trim() || undefined,
          reservation: n.reservation || undefined,
          aliases: n.aliases.trim() ? n.aliases.split(/[\s,]+/).filter(Boolean) : undefined,
        }))
      : undefined,
    restartPolicy:
      d.restart === 'no'
        ? undefined
        : {
            name: d.restart,
            maximumRetryCount: d.restart === 'on-failure' ? num(d.maxRetries) : undefined,
          },
    resources: some({
      memoryBytes: bytes(d.memory),
      cpus: num(d.cpus),
      pidsLimit: num(d.pidsLimit),
    }),
    healthcheck: d.healthCommand.trim()
      ? {
          test:
            d.healthForm === 'CMD-SHELL'
              ? ['CMD-SHELL', d.healthCommand]
              : ['CMD', ...words(d.healthCommand)],
          intervalS: num(d.healthIntervalS),
          timeoutS: num(d.healthTimeoutS),
          retries: num(d.healthRetries),
          startPeriodS: num(d.healthStartPeriodS),
        }
      : undefined,
    user: d.user.trim() || undefined,
    workingDir: d.workingDir.trim() || undefined,
    hostname: d.hostname.trim() || undefined,
    capAdd: d.capAdd.trim() ? list(d.capAdd) : undefined,
    capDrop: d.capDrop.trim() ? list(d.capDrop) : undefined,
    devices: d.devices.length
      ? d.devices.map((v) => ({
          hostPath: v.hostPath,
          containerPath: v.containerPath.trim() || undefined,
          permissions: v.permissions || 'rwm',
        }))
      : undefined,
    privileged: d.privileged || undefined,
    pidMode: d.pidMode.trim() || undefined,
    ipcMode: d.ipcMode.trim() || undefined,
    utsMode: d.utsHost ? 'host' : undefined,
    usernsMode: d.usernsHost ? 'host' : undefined,
    cgroupnsMode: d.cgroupnsHost ? 'host' : undefined,
    securityOpt: d.securityOpt.trim()
      ? d.securityOpt
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : undefined,
    sysctls: d.sysctls.trim() ? pairs(d.sysctls) : undefined,
    stopTimeoutS: num(d.stopTimeoutS),
    logConfig: d.logDriver.trim()
      ? {
          driver: d.logDriver.trim(),
          options: d.logOptions.trim() ? pairs(d.logOptions) : undefined,
        }
      : undefined,
    environment: d.environment.trim() || undefined,
    autoStart: d.autoStart,
  };
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

const text = (n: number | undefined): string => (n === undefined ? '' : String(n));

/** The form filled from a container's spec, to edit it. */
export function draftFromSpec(spec: ContainerSpec): Draft {
  const health = spec.healthcheck;
  const shellHealth = health?.test[0] !== 'CMD';
  return {
    ...EMPTY_DRAFT,
    name: spec.name ?? '',
    image: spec.image,
    command: spec.command ? shellJoin(spec.command) : '',
    entrypoint: spec.entrypoint ? shellJoin(spec.entrypoint) : '',
    env: lines(spec.env),
    labels: lines(spec.labels),
    ports: (spec.ports ?? []).map((p) => ({
      hostIp: p.hostIp ?? '',
      hostPort: text(p.hostPort),
      containerPort: String(p.containerPort),
      protocol: p.protocol,
    })),
    mounts: (spec.mounts ?? []).map((m) =>
      m.type === 'tmpfs'
        ? {
            ...newMountRow(),
            type: 'tmpfs',
            target: m.target,
            size: sizeText(m.sizeBytes),
          }
        : {
            ...newMountRow(),
            type: m.type,
            source: m.source ?? '',
            target: m.target,
            readOnly: m.readOnly,
          },
    ),
    networks: (spec.networks ?? []).map((n) => ({
      name: n.name,
      ipv4Address: n.ipv4Address ?? '',
      reservation: n.reservation ?? '',
      aliases: (n.aliases ?? []).join(', '),
    })),
    restart: spec.restartPolicy?.name ?? 'no',
    maxRetries: text(spec.restartPolicy?.maximumRetryCount),
    memory: sizeText(spec.resources?.memoryBytes),
    cpus: text(spec.resources?.cpus),
    pidsLimit: text(spec.resources?.pidsLimit),
    healthForm: shellHealth ? 'CMD-SHELL' : 'CMD',
    healthCommand:
      !health || health.test[0] === 'NONE'
        ? ''
        : shellHealth
          ? health.test.slice(1).join(' ')
          : shellJoin(health.test.slice(1)),
    healthIntervalS: text(health?.intervalS),
    healthTimeoutS: text(health?.timeoutS),
    healthRetries: text(health?.retries),
    healthStartPeriodS: text(health?.startPeriodS),
    user: spec.user ?? '',
    workingDir: spec.workingDir ?? '',
    hostname: spec.hostname ?? '',
    capAdd: (spec.capAdd ?? []).join(', '),
    capDrop: (spec.capDrop ?? []).join(', '),
    devices: (spec.devices ?? []).map((v) => ({
      hostPath: v.hostPath,
      containerPath: v.containerPath ?? '',
      permissions: v.permissions,
    })),
    privileged: spec.privileged ?? false,
    pidMode: spec.pidMode ?? '',
    ipcMode: spec.ipcMode ?? '',
    utsHost: spec.utsMode === 'host',
    usernsHost: spec.usernsMode === 'host',
    cgroupnsHost: spec.cgroupnsMode === 'host',
    securityOpt: (spec.securityOpt ?? []).join('\n'),
    sysctls: lines(spec.sysctls),
    stopTimeoutS: text(spec.stopTimeoutS),
    logDriver: spec.logConfig?.driver ?? '',
    logOptions: lines(spec.logConfig?.options),
    environment: spec.environment ?? '',
    autoStart: true,
  };
}

/** "ports.0.hostPort" for a zod issue path, the key the form shows the message under. */
export const issueKey = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** Messages for the port rows whose host port a running container already publishes. */
export function portConflictErrors(
  ports: PortRow[],
  conflicts: readonly { port: number; protocol: string; container: string }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  ports.forEach((row, i) => {
    const clash = conflicts.find(
      (c) => String(c.port) === row.hostPort && c.protocol === row.protocol,
    );
    if (clash) out[`ports.${i}.hostPort`] ??= `already published by ${clash.container}`;
  });
  return out;
}
