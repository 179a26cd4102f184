import type { ServiceCreate, ServiceUpdate, UpdatePolicy } from '@berth/contract';
import { dockerCommand } from '../../core/docker-command.js';
import type { RawServiceSpec } from '../../docker/swarm-types.js';

/** The `docker service …` command lines equal to what Berth sends the engine. */

type FileRefs = NonNullable<ServiceCreate['secrets']>;

const pairs = (flag: string, map: Record<string, string> | undefined): string[] =>
  Object.entries(map ?? {}).flatMap(([k, v]) => [flag, `${k}=${v}`]);
const opt = (flag: string, value: string | number | undefined): string[] =>
  value === undefined ? [] : [flag, String(value)];

function policyFlags(prefix: 'update' | 'rollback', p: UpdatePolicy | undefined): string[] {
  if (!p) return [];
  return [
    ...opt(`--${prefix}-parallelism`, p.parallelism),
    ...opt(`--${prefix}-delay`, p.delay),
    ...opt(`--${prefix}-failure-action`, p.failureAction),
    ...opt(`--${prefix}-monitor`, p.monitor),
    ...opt(`--${prefix}-max-failure-ratio`, p.maxFailureRatio),
    ...opt(`--${prefix}-order`, p.order),
  ];
}

function fileFlags(flag: string, refs: FileRefs | undefined): string[] {
  return (refs ?? []).flatMap((r) => [
    flag,
    r.target && r.target !== r.name ? `source=${r.name},target=${r.target}` : r.name,
  ]);
}

function resourceFlags(input: ServiceCreate): string[] {
  const { limits, reservations } = input.resources ?? {};
  return [
    ...opt('--limit-cpu', limits?.cpus),
    ...opt('--limit-memory', limits?.memoryBytes),
    ...opt('--reserve-cpu', reservations?.cpus),
    ...opt('--reserve-memory', reservations?.memoryBytes),
  ];
}

export function createCli(input: ServiceCreate): string {
  const restart = input.restartPolicy;
  const flags = [
    '--name',
    input.name,
    ...(input.mode === 'global'
      ? ['--mode', 'global']
      : ['--replicas', String(input.replicas ?? 1)]),
    ...pairs('--env', input.env),
    ...opt('--workdir', input.workdir),
    ...opt('--user', input.user),
    ...(input.ports ?? []).flatMap((p) => [
      '--publish',
      `${p.published === undefined ? '' : `published=${p.published},`}target=${p.target},protocol=${p.protocol},mode=${p.mode}`,
    ]),
    ...(input.mounts ?? []).flatMap((m) => [
      '--mount',
      `type=${m.type}${m.source ? `,source=${m.source}` : ''},target=${m.target}${m.readOnly ? ',readonly' : ''}`,
    ]),
    ...(input.networks ?? []).flatMap((n) => ['--network', n]),
    ...(input.constraints ?? []).flatMap((c) => ['--constraint', c]),
    ...(input.preferences ?? []).flatMap((p) => ['--placement-pref', `spread=${p}`]),
    ...resourceFlags(input),
    ...opt('--restart-condition', restart?.condition),
    ...opt('--restart-delay', restart?.delay),
    ...opt('--restart-max-attempts', restart?.maxAttempts),
    ...opt('--restart-window', restart?.window),
    ...policyFlags('update', input.updateConfig),
    ...policyFlags('rollback', input.rollbackConfig),
    ...(input.healthcheck
      ? [
          '--health-cmd',
          input.healthcheck.test.slice(input.healthcheck.test[0] === 'CMD-SHELL' ? 1 : 0).join(' '),
        ]
      : []),
    ...opt('--health-interval', input.healthcheck?.interval),
    ...opt('--health-retries', input.healthcheck?.retries),
    ...opt('--stop-grace-period', input.stopGracePeriod),
    ...pairs('--label', input.labels),
    ...pairs('--container-label', input.containerLabels),
    ...fileFlags('--secret', input.secrets),
    ...fileFlags('--config', input.configs),
    ...(input.command?.length ? ['--entrypoint', input.command.join(' ')] : []),
  ];
  return dockerCommand('service', 'create', ...flags, input.image, ...(input.args ?? []));
}

export function updateCli(name: string, input: ServiceUpdate, current: RawServiceSpec): string {
  const oldEnv = (current.TaskTemplate.ContainerSpec.Env ?? []).map((e) => e.split('=')[0] ?? e);
  const newEnv = input.env ?? {};
  const flags = [
    ...opt('--image', input.image),
    ...opt('--replicas', input.replicas),
    ...(input.env !== undefined
      ? [
          ...oldEnv.filter((k) => !(k in newEnv)).flatMap((k) => ['--env-rm', k]),
          ...pairs('--env-add', newEnv),
        ]
      : []),
    ...(input.command !== undefined ? ['--entrypoint', input.command.join(' ')] : []),
    ...(input.args !== undefined ? ['--args', input.args.join(' ')] : []),
    ...pairs('--label-add', input.labels),
    ...(input.constraints ?? []).flatMap((c) => ['--constraint-add', c]),
    ...policyFlags('update', input.updateConfig),
    ...policyFlags('rollback', input.rollbackConfig),
    ...fileFlags('--secret-add', input.secrets),
    ...fileFlags('--config-add', input.configs),
    ...(input.force ? ['--force'] : []),
  ];
  return dockerCommand('service', 'update', ...flags, name);
}
