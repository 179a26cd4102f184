import type {
  ContainerSpec,
  HostNamespace,
  HostSecurity,
  HostSecuritySetting,
  PolicyViolation,
  Role,
} from '@berth/contract';
import { cleanHostPath, isUnder, socketsExposedBy } from './host-paths.js';

/** Docker's default capability set: adding one of these changes nothing. */
export const DOCKER_DEFAULT_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

export interface PolicyContext {
  /**
   * The container being recreated (edit, update, rollback): host-level options it already has
   * and the new one keeps unchanged are not asked for by the caller, so they pass.
   */
  inherited?: ContainerSpec;
  /** Engine sockets on this host besides the usual /var/run/docker.sock and containerd's. */
  engineSockets?: readonly string[];
  /** Names and ids of the host's networks with the host driver (`host` by default). */
  hostNetworks?: readonly string[];
}

/** One host-level thing a spec asks for: what it is, where, and the keys an inherited one has. */
interface HostLevelItem {
  field: string;
  /** The same thing in another spec has one of these keys (a read-only bind is covered by a rw one). */
  keys: string[];
  /** Why the policy refuses it, or null when it allows it. */
  refusal: (policy: HostSecurity, sockets: readonly string[]) => Refusal | null;
}

interface Refusal {
  setting: HostSecuritySetting;
  message: string;
}

const list = (items: readonly string[]): string => (items.length === 0 ? 'none' : items.join(', '));

function bindItems(spec: ContainerSpec): HostLevelItem[] {
  return (spec.mounts ?? []).flatMap((mount, i) => {
    if (mount.type !== 'bind') return [];
    const source = cleanHostPath(mount.source);
    const base = `bind:${source}:${mount.target}`;
    return [
      {
        field: `mounts.${i}.source`,
        keys: mount.readOnly ? [`${base}:ro`, `${base}:rw`] : [`${base}:rw`],
        refusal: (policy, sockets) => {
          const exposed = socketsExposedBy(source, sockets);
          const isSocket = exposed.includes(source);
          if (isSocket && policy.engineSocket) return null;
          if (!policy.bindMounts.some((allowed) => isUnder(source, cleanHostPath(allowed)))) {
            return {
              setting: 'bindMounts',
              message: `The bind mount of ${mount.source} is not allowed: host setting "bindMounts" allows ${policy.bindMounts.length === 0 ? 'no bind mounts' : `only paths under ${list(policy.bindMounts)}`}`,
            };
          }
          if (exposed.length === 0 || policy.engineSocket) return null;
          return {
            setting: 'engineSocket',
            message: `The bind mount of ${mount.source} ${isSocket ? 'is' : 'contains'} the engine socket ${exposed[0] ?? ''}, which is root on the host: host setting "engineSocket" does not allow it`,
          };
        },
      },
    ];
  });
}

function capabilityItems(spec: ContainerSpec): HostLevelItem[] {
  return (spec.capAdd ?? []).flatMap((raw, i) => {
    const cap = raw.replace(/^CAP_/, '');
    if (DOCKER_DEFAULT_CAPABILITIES.includes(cap)) return [];
    return [
      {
        field: `capAdd.${i}`,
        keys: [`cap:${cap}`, 'cap:ALL'],
        refusal: (policy) =>
          policy.capabilities.includes('ALL') ||
          (cap !== 'ALL' && policy.capabilities.map((c) => c.replace(/^CAP_/, '')).includes(cap))
            ? null
            : {
                setting: 'capabilities',
                message: `Adding the capability ${cap} is not allowed: host setting "capabilities" allows ${list(policy.capabilities)} beyond Docker's defaults`,
              },
      },
    ];
  });
}

/** Every subset-holder of a device's permissions: a mapping with more rights covers one with fewer. */
function permissionKeys(path: string, permissions: string): string[] {
  const all = ['r', 'w', 'm'];
  const combos = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => all.filter((_, b) => bits & (1 << b)));
  return combos
    .filter((combo) => [...permissions].every((p) => combo.includes(p)))
    .map((combo) => `device:${path}:${combo.join('')}`);
}

function deviceItems(spec: ContainerSpec): HostLevelItem[] {
  return (spec.devices ?? []).map((device, i) => {
    const path = cleanHostPath(device.hostPath);
    return {
      field: `devices.${i}.hostPath`,
      keys: permissionKeys(path, device.permissions),
      refusal: (policy) =>
        policy.devices.some((allowed) => isUnder(path, cleanHostPath(allowed)))
          ? null
          : {
              setting: 'devices',
              message: `Mapping the host device ${device.hostPath} is not allowed: host setting "devices" allows ${list(policy.devices)}`,
            },
    };
  });
}

function namespaceItem(
  namespace: HostNamespace,
  field: string,
  what: string,
  mode: string,
): HostLevelItem {
  return {
    field,
    keys: [`ns:${namespace}:${mode}`],
    refusal: (policy) =>
      policy.hostNamespaces.includes(namespace)
        ? null
        : {
            setting: 'hostNamespaces',
            message: `${what} is not allowed: host setting "hostNamespaces" does not include "${namespace}"`,
          },
  };
}

function namespaceItems(spec: ContainerSpec, hostNetworks: readonly string[]): HostLevelItem[] {
  const items: HostLevelItem[] = [];
  (spec.networks ?? []).forEach((net, i) => {
    if (hostNetworks.includes(net.name))
      items.push(
        namespaceItem(
          'network',
          `networks.${i}.name`,
          "The host's network (network mode host)",
          'host',
        ),
      );
  });
  const modes: [HostNamespace, keyof ContainerSpec, string, string | undefined][] = [
    ['pid', 'pidMode', 'PID mode host', spec.pidMode],
    ['ipc', 'ipcMode', 'IPC mode host', spec.ipcMode],
    ['uts', 'utsMode', 'UTS mode host', spec.utsMode],
    ['userns', 'usernsMode', 'User namespace mode host', spec.usernsMode],
    ['cgroupns', 'cgroupnsMode', 'Cgroup namespace mode host', spec.cgroupnsMode],
  ];
  for (const [namespace, field, what, mode] of modes)
    if (mode === 'host') items.push(namespaceItem(namespace, field, what, mode));
  return items;
}

/** no-new-privileges only tightens; every other option swaps or drops a confinement profile. */
function isTightening(option: string): boolean {
  return /^no-new-privileges([=:]true)?$/.test(option.trim());
}

function securityOptItems(spec: ContainerSpec): HostLevelItem[] {
  return (spec.securityOpt ?? []).flatMap((option, i) =>
    isTightening(option)
      ? []
      : [
          {
            field: `securityOpt.${i}`,
            keys: [`secopt:${option}`],
            refusal: (policy: HostSecurity) =>
              policy.securityOptions
                ? null
                : {
                    setting: 'securityOptions' as const,
                    message: `The security option ${option} is not allowed: host setting "securityOptions" allows only no-new-privileges`,
                  },
          },
        ],
  );
}

function sysctlItems(spec: ContainerSpec): HostLevelItem[] {
  return Object.entries(spec.sysctls ?? {}).map(([key, value]) => ({
    field: `sysctls.${key}`,
    keys: [`sysctl:${key}=${value}`],
    refusal: (policy: HostSecurity) =>
      policy.sysctls
        ? null
        : {
            setting: 'sysctls' as const,
            message: `Setting the kernel parameter ${key} is not allowed: host setting "sysctls" is off`,
          },
  }));
}

function hostLevelItems(spec: ContainerSpec, hostNetworks: readonly string[]): HostLevelItem[] {
  return [
    ...bindItems(spec),
    ...capabilityItems(spec),
    ...deviceItems(spec),
    ...namespaceItems(spec, hostNetworks),
    ...securityOptItems(spec),
    ...sysctlItems(spec),
  ];
}

/**
 * What in `spec` the host's `policy` does not allow `role`, one violation per option, in the
 * order of the body. Admins are never restricted. With `context.inherited`, options the
 * container already has, kept unchanged, are not counted (see docs/security.md).
 */
export function checkContainerSpec(
  policy: HostSecurity,
  spec: ContainerSpec,
  role: Role,
  context: PolicyContext = {},
): PolicyViolation[] {
  if (role === 'admin') return [];
  const hostNetworks = context.hostNetworks ?? ['host'];
  const sockets = context.engineSockets ?? [];
  const held = new Set(
    context.inherited
      ? hostLevelItems(context.inherited, hostNetworks).flatMap((item) => item.keys.slice(0, 1))
      : [],
  );
  const violations: PolicyViolation[] = [];
  for (const item of hostLevelItems(spec, hostNetworks)) {
    if (item.keys.some((key) => held.has(key))) continue;
    const refusal = item.refusal(policy, sockets);
    if (refusal) violations.push({ field: item.field, ...refusal });
  }
  return violations;
}
