import type { AlertRule, AlertScope, ContainerSample } from '@berth/contract';
import type { EngineContainer } from '../../docker/container-summary.js';
import type { EngineHost } from '../../docker/engine-hosts.js';
import { ENVIRONMENT_LABEL } from '../containers/berth-labels.js';
import { DEFAULT_THRESHOLD, type Candidate } from './alert-candidate.js';
import { hostCandidates, type BackupFailure, type DiskUsage } from './host-conditions.js';

export type { Candidate } from './alert-candidate.js';

/** A subject whose rule's condition holds now. */
/** Conditions that come from events (an OOM kill, a restart loop): held until seen and over. */
export interface Latches {
  held(kind: 'oom' | 'restart_loop', hostId: string, containerName: string): boolean;
}

/** What the evaluator knows when it checks the rules. */
export interface ConditionInputs {
  hosts: EngineHost[];
  latches: Latches;
  /** Environment tags Berth recorded, by host, then container id. */
  environments: Map<string, Map<string, string>>;
  /** Images with an update available, by host. */
  updates: Map<string, Set<string>>;
  /** The metrics sampler's last sample of each running container, by host. */
  samples: (hostId: string) => ContainerSample[];
  /** Each host's CPU count (cpu_above is a share of the whole host). */
  cpus: Map<string, number>;
  /** The disk under each host's data root, where known. */
  disks: Map<string, DiskUsage>;
  /** Scheduled backups whose last run failed. */
  backups: BackupFailure[];
}

/** Thresholds when a rule gives none: percent of the host's CPUs, of the memory limit. */
/** The subjects for which a rule's condition holds now (only the kinds known from state). */
export function candidatesOf(rule: AlertRule, inputs: ConditionInputs): Candidate[] {
  const hosts = inputs.hosts.filter((host) => hostInScope(rule.scope, host.id));
  if (rule.kind === 'host_unreachable')
    return hosts
      .filter((host) => !host.state.status.reachable)
      .map((host) => ({
        subject: host.id,
        hostId: host.id,
        containerName: null,
        labels: {},
        summary: `Host ${host.name} is unreachable: ${host.state.status.error ?? 'no answer'}`,
      }));
  if (rule.kind === 'disk_usage_above' || rule.kind === 'backup_failed')
    return hostCandidates(rule, hosts, inputs.disks, inputs.backups);
  const found: Candidate[] = [];
  for (const host of hosts) {
    const environments = inputs.environments.get(host.id);
    const samples =
      rule.kind === 'cpu_above' || rule.kind === 'memory_above'
        ? new Map(inputs.samples(host.id).map((s) => [s.containerId, s]))
        : null;
    for (const container of host.state.containers()) {
      const environment = environments?.get(container.id) ?? container.labels[ENVIRONMENT_LABEL];
      if (!containerInScope(rule.scope, container, environment)) continue;
      const sample = samples?.get(container.id);
      const summary = sample
        ? metricCondition(rule, sample, inputs.cpus.get(host.id) ?? 1)
        : containerCondition(rule, host, container, inputs);
      if (summary)
        found.push({
          subject: `${host.id}/${container.name}`,
          hostId: host.id,
          containerName: container.name,
          labels: container.labels,
          summary,
        });
    }
  }
  return found;
}

/** What is wrong with the container by this rule, or null. */
function containerCondition(
  rule: AlertRule,
  host: EngineHost,
  c: EngineContainer,
  inputs: ConditionInputs,
): string | null {
  const stopped = c.state === 'exited' || c.state === 'dead';
  switch (rule.kind) {
    case 'container_down':
      return stopped ? `${c.name} is ${c.state} (${c.status})` : null;
    case 'exited_nonzero':
      return stopped && c.exitCode !== null && c.exitCode !== 0
        ? `${c.name} exited with code ${c.exitCode}`
        : null;
    case 'unhealthy':
      return c.health === 'unhealthy' ? `${c.name} is unhealthy` : null;
    case 'oom':
      return inputs.latches.held('oom', host.id, c.name) || (stopped && c.oomKilled)
        ? `${c.name} was killed: out of memory`
        : null;
    case 'restart_loop':
      return inputs.latches.held('restart_loop', host.id, c.name)
        ? `${c.name} is restarting in a loop (${c.restartCount} restarts)`
        : null;
    case 'image_update_available':
      return inputs.updates.get(host.id)?.has(c.image)
        ? `An update of ${c.image} is available for ${c.name}`
        : null;
    case 'cpu_above':
    case 'memory_above':
    case 'host_unreachable':
    case 'disk_usage_above':
    case 'backup_failed':
      // Not conditions of a container's state: checked from their own sources.
      return null;
  }
}

/** CPU over a share of the host's CPUs, or memory over a share of its limit, or null. */
function metricCondition(rule: AlertRule, sample: ContainerSample, cpus: number): string | null {
  if (rule.kind === 'cpu_above') {
    const threshold = rule.threshold ?? DEFAULT_THRESHOLD.cpu_above;
    const percent = sample.cpuPercent / Math.max(cpus, 1);
    return percent > threshold
      ? `${sample.name} uses ${percent.toFixed(1)}% of the host's ${cpus} CPUs (over ${threshold}%)`
      : null;
  }
  if (rule.kind !== 'memory_above' || sample.memoryLimit <= 0) return null;
  const threshold = rule.threshold ?? DEFAULT_THRESHOLD.memory_above;
  const percent = (100 * sample.memoryWorkingSet) / sample.memoryLimit;
  return percent > threshold
    ? `${sample.name} uses ${percent.toFixed(1)}% of its memory limit (over ${threshold}%)`
    : null;
}

function hostInScope(scope: AlertScope, hostId: string): boolean {
  if (scope.type === 'host') return scope.host === hostId;
  if (scope.type === 'stack') return scope.host === undefined || scope.host === hostId;
  return true;
}

function containerInScope(
  scope: AlertScope,
  c: EngineContainer,
  environment: string | undefined,
): boolean {
  switch (scope.type) {
    case 'all':
    case 'host':
      return true;
    case 'stack':
      return c.composeProject === scope.stack;
    case 'label':
      return c.labels[scope.key] === scope.value;
    case 'environment':
      return environment === scope.environment;
  }
}
