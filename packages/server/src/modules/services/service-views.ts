import type { ServiceDetail, ServiceSummary, ServiceUpdateStatus, TaskView } from '@berth/contract';
import type { RawNode, RawService, RawTask } from '../../docker/swarm-types.js';
import type { RollbackLedger } from './rollback-ledger.js';

export const STACK_LABEL = 'com.docker.stack.namespace';

function updateStatus(service: RawService, ledger: RollbackLedger): ServiceUpdateStatus | null {
  const status = service.UpdateStatus;
  if (!status) return null;
  const rollingBack = status.State.startsWith('rollback');
  return {
    state: status.State,
    rollback: rollingBack ? ledger.kindOf(service.ID, status) : null,
    message: status.Message ?? '',
    startedAt: status.StartedAt ?? null,
    completedAt: status.CompletedAt ?? null,
  };
}

export function serviceSummary(service: RawService, ledger: RollbackLedger): ServiceSummary {
  const spec = service.Spec;
  const global = spec.Mode.Global !== undefined;
  const replicas = global ? null : (spec.Mode.Replicated?.Replicas ?? 1);
  return {
    id: service.ID,
    name: spec.Name,
    image: spec.TaskTemplate.ContainerSpec.Image,
    mode: global ? 'global' : 'replicated',
    replicas,
    running: service.ServiceStatus?.RunningTasks ?? 0,
    desired: service.ServiceStatus?.DesiredTasks ?? replicas ?? 0,
    ports: (service.Endpoint?.Ports ?? spec.EndpointSpec?.Ports ?? []).map((p) => ({
      target: p.TargetPort,
      published: p.PublishedPort ?? null,
      protocol: p.Protocol ?? 'tcp',
      mode: p.PublishMode ?? 'ingress',
    })),
    update: updateStatus(service, ledger),
    stack: spec.Labels?.[STACK_LABEL] ?? null,
    labels: spec.Labels ?? {},
    version: service.Version.Index,
    createdAt: service.CreatedAt,
    updatedAt: service.UpdatedAt,
  };
}

export function serviceDetail(
  service: RawService,
  ledger: RollbackLedger,
  networkNames: Map<string, string>,
): ServiceDetail {
  const container = service.Spec.TaskTemplate.ContainerSpec;
  const files = (refs: typeof container.Secrets, kind: 'Secret' | 'Config') =>
    (refs ?? []).map((r) => ({
      id: (kind === 'Secret' ? r.SecretID : r.ConfigID) ?? '',
      name: (kind === 'Secret' ? r.SecretName : r.ConfigName) ?? '',
      target: r.File.Name,
    }));
  return {
    ...serviceSummary(service, ledger),
    command: container.Command ?? [],
    args: container.Args ?? [],
    env: container.Env ?? [],
    networks: (service.Spec.TaskTemplate.Networks ?? []).map((n) => ({
      id: n.Target,
      name: networkNames.get(n.Target) ?? null,
    })),
    constraints: service.Spec.TaskTemplate.Placement?.Constraints ?? [],
    secrets: files(container.Secrets, 'Secret'),
    configs: files(container.Configs, 'Config'),
    previousImage: service.PreviousSpec?.TaskTemplate.ContainerSpec.Image ?? null,
    spec: { ...service.Spec },
    previousSpec: service.PreviousSpec ? { ...service.PreviousSpec } : null,
  };
}

export function taskView(
  task: RawTask,
  serviceNames: Map<string, string>,
  nodes: Map<string, RawNode>,
): TaskView {
  const node = task.NodeID ? nodes.get(task.NodeID) : undefined;
  return {
    id: task.ID,
    serviceId: task.ServiceID,
    serviceName: serviceNames.get(task.ServiceID) ?? null,
    slot: task.Slot ?? null,
    nodeId: task.NodeID ?? null,
    nodeHostname: node?.Description.Hostname ?? null,
    desiredState: task.DesiredState,
    state: task.Status.State,
    message: task.Status.Message,
    error: task.Status.Err ?? null,
    containerId: task.Status.ContainerStatus?.ContainerID ?? null,
    exitCode: task.Status.ContainerStatus?.ExitCode ?? null,
    image: task.Spec.ContainerSpec.Image,
    createdAt: task.CreatedAt,
    updatedAt: task.UpdatedAt,
    statusAt: task.Status.Timestamp,
  };
}
