import { appendField, keyValue, type ServiceDraft, setEntry } from './run-draft.js';
import { badValue, integerOf, type RunFlag, sizeOf, switchOn, unsupported } from './run-flag.js';

/** The flags of resource limits, devices, privileges, namespaces and kernel settings. */

function resources(draft: ServiceDraft) {
  draft.spec.resources ??= {};
  return draft.spec.resources;
}

function composeSize(key: string) {
  return (value: string, draft: ServiceDraft, flag: string) => {
    // -1 is docker's "unlimited swap".
    if (value === '-1' || sizeOf(draft, flag, value) !== null) draft.compose[key] = value;
  };
}

function composeInteger(key: string) {
  return (value: string, draft: ServiceDraft, flag: string) => {
    const number = integerOf(draft, flag, value);
    if (number !== null) draft.compose[key] = number;
  };
}

function composeText(key: string) {
  return (value: string, draft: ServiceDraft) => {
    draft.compose[key] = value;
  };
}

function list(key: string) {
  return (value: string, draft: ServiceDraft) => appendField(draft, key, value);
}

/** `nofile=1024:2048` or `nproc=65535`. */
function ulimit(value: string, draft: ServiceDraft, flag: string): void {
  const [name, limits = ''] = keyValue(value);
  const match = /^(-?\d+)(?::(-?\d+))?$/.exec(limits);
  if (!match || name === '') return badValue(draft, flag, value, 'name=soft[:hard]');
  const soft = Number(match[1]);
  const hard = match[2] === undefined ? soft : Number(match[2]);
  setEntry(draft, 'ulimits', name, soft === hard ? soft : { soft, hard });
}

/** `/dev/sda`, `/dev/sda:/dev/xvda`, `/dev/sda:/dev/xvda:rwm`, `/dev/snd:rw`. */
function device(value: string, draft: ServiceDraft, flag: string): void {
  const [hostPath = '', second, third] = value.split(':');
  if (!hostPath.startsWith('/')) return badValue(draft, flag, value, 'a device like /dev/dri');
  const secondIsMode = second !== undefined && /^[rwm]{1,3}$/.test(second) && third === undefined;
  const containerPath = secondIsMode ? undefined : second;
  const permissions = (secondIsMode ? second : third) ?? 'rwm';
  draft.spec.devices = [
    ...(draft.spec.devices ?? []),
    { hostPath, ...(containerPath ? { containerPath } : {}), permissions },
  ];
}

/** `--gpus all` / `--gpus 2` as compose's device reservation; other forms are not read. */
function gpus(value: string, draft: ServiceDraft, flag: string): void {
  const count = value === 'all' ? 'all' : /^\d+$/.test(value) ? Number(value) : null;
  if (count === null) return badValue(draft, flag, value, '"all" or a number of GPUs');
  appendField(draft, 'x-gpus', { driver: 'nvidia', count, capabilities: ['gpu'] });
}

function sysctl(value: string, draft: ServiceDraft, flag: string): void {
  const [name, given] = keyValue(value);
  if (given === undefined) return badValue(draft, flag, value, 'name=value');
  draft.spec.sysctls = { ...draft.spec.sysctls, [name]: given };
}

function capability(value: string): string {
  return value.toUpperCase().replace(/^CAP_/, '');
}

export const limitFlags: RunFlag[] = [
  {
    names: ['memory'],
    short: 'm',
    value: true,
    apply: (value, draft, flag) => {
      const bytes = sizeOf(draft, flag, value);
      if (bytes !== null) resources(draft).memoryBytes = bytes;
    },
  },
  {
    names: ['cpus'],
    value: true,
    apply: (value, draft, flag) => {
      if (/^\d*\.?\d+$/.test(value)) resources(draft).cpus = Number(value);
      else badValue(draft, flag, value, 'a number of CPUs such as 1.5');
    },
  },
  {
    names: ['pids-limit'],
    value: true,
    apply: (value, draft, flag) => {
      const limit = integerOf(draft, flag, value);
      if (limit !== null && limit > 0) resources(draft).pidsLimit = limit;
    },
  },
  { names: ['memory-reservation'], value: true, apply: composeSize('mem_reservation') },
  { names: ['memory-swap'], value: true, apply: composeSize('memswap_limit') },
  { names: ['memory-swappiness'], value: true, apply: composeInteger('mem_swappiness') },
  { names: ['shm-size'], value: true, apply: composeSize('shm_size') },
  { names: ['cpu-shares'], short: 'c', value: true, apply: composeInteger('cpu_shares') },
  { names: ['cpu-period'], value: true, apply: composeInteger('cpu_period') },
  { names: ['cpu-quota'], value: true, apply: composeInteger('cpu_quota') },
  { names: ['cpu-rt-period'], value: true, apply: composeInteger('cpu_rt_period') },
  { names: ['cpu-rt-runtime'], value: true, apply: composeInteger('cpu_rt_runtime') },
  { names: ['cpuset-cpus'], value: true, apply: composeText('cpuset') },
  { names: ['oom-score-adj'], value: true, apply: composeInteger('oom_score_adj') },
  {
    names: ['oom-kill-disable'],
    value: false,
    apply: (value, draft) => {
      if (switchOn(value)) draft.compose.oom_kill_disable = true;
    },
  },
  {
    names: ['blkio-weight'],
    value: true,
    apply: (value, draft, flag) => {
      const weight = integerOf(draft, flag, value);
      if (weight !== null) setEntry(draft, 'blkio_config', 'weight', weight);
    },
  },
  { names: ['ulimit'], value: true, apply: ulimit },
  { names: ['device'], value: true, apply: device },
  { names: ['device-cgroup-rule'], value: true, apply: list('device_cgroup_rules') },
  { names: ['gpus'], value: true, apply: gpus },
  { names: ['cgroup-parent'], value: true, apply: composeText('cgroup_parent') },
  {
    names: ['cap-add'],
    value: true,
    apply: (value, draft) => {
      draft.spec.capAdd = [...(draft.spec.capAdd ?? []), capability(value)];
    },
  },
  {
    names: ['cap-drop'],
    value: true,
    apply: (value, draft) => {
      draft.spec.capDrop = [...(draft.spec.capDrop ?? []), capability(value)];
    },
  },
  {
    names: ['privileged'],
    value: false,
    apply: (value, draft) => {
      if (switchOn(value)) draft.spec.privileged = true;
      else delete draft.spec.privileged;
    },
  },
  {
    names: ['security-opt'],
    value: true,
    apply: (value, draft) => {
      draft.spec.securityOpt = [...(draft.spec.securityOpt ?? []), value];
    },
  },
  { names: ['sysctl'], value: true, apply: sysctl },
  { names: ['group-add'], value: true, apply: list('group_add') },
  {
    names: ['pid'],
    value: true,
    apply: (value, draft) => {
      draft.spec.pidMode = value;
    },
  },
  {
    names: ['ipc'],
    value: true,
    apply: (value, draft) => {
      draft.spec.ipcMode = value;
    },
  },
  { names: ['uts'], value: true, apply: composeText('uts') },
  { names: ['userns'], value: true, apply: composeText('userns_mode') },
  { names: ['cgroupns'], value: true, apply: composeText('cgroup') },
  { names: ['runtime'], value: true, apply: composeText('runtime') },
  { names: ['isolation'], value: true, apply: composeText('isolation') },
  unsupported(['cpuset-mems'], true, 'compose has no cpuset-mems; left out'),
  unsupported(['kernel-memory'], true, 'the engine ignores kernel memory limits; left out'),
  ...[
    'blkio-weight-device',
    'device-read-bps',
    'device-write-bps',
    'device-read-iops',
    'device-write-iops',
  ].map((name) => unsupported([name], true, 'write it under blkio_config by hand; left out')),
];
