import {
  shellJoin,
  type SwarmObjectResult,
  type SwarmStackDetail,
  type SwarmStackList,
  type SwarmStackRemoveResult,
  type SwarmStackService,
  type SwarmStackSummary,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { RawService } from '../../docker/swarm-types.js';
import type { SwarmStackHosts } from './swarm-stack-hosts.js';
import { STACK_NAMESPACE } from './swarm-labels.js';

const namespaceOf = (s: RawService): string => s.Spec.Labels?.[STACK_NAMESPACE] ?? '';

function describeService(s: RawService, namespace: string): SwarmStackService {
  const global = s.Spec.Mode.Global !== undefined;
  const ports = (s.Endpoint?.Ports ?? s.Spec.EndpointSpec?.Ports ?? []).map(
    (p) =>
      `${p.PublishedPort ?? ''}:${p.TargetPort}/${p.Protocol ?? 'tcp'} (${p.PublishMode ?? 'ingress'})`,
  );
  return {
    id: s.ID,
    name: s.Spec.Name,
    service: s.Spec.Name.startsWith(`${namespace}_`)
      ? s.Spec.Name.slice(namespace.length + 1)
      : s.Spec.Name,
    image: s.Spec.TaskTemplate.ContainerSpec.Image,
    mode: global ? 'global' : 'replicated',
    replicas: global
      ? (s.ServiceStatus?.DesiredTasks ?? 0)
      : (s.Spec.Mode.Replicated?.Replicas ?? 1),
    running: s.ServiceStatus?.RunningTasks ?? 0,
    updateState: s.UpdateStatus?.State ?? null,
    updateMessage: s.UpdateStatus?.Message ?? null,
    ports,
    updatedAt: s.UpdatedAt,
  };
}

/** Swarm stacks as `docker stack ls`, `services` and `rm` see them: by the namespace label. */
export class SwarmStacksService {
  constructor(private readonly hosts: SwarmStackHosts) {}

  async list(hostId: string): Promise<SwarmStackList> {
    const { engine, manager, nodeState } = await this.hosts.status(hostId);
    if (!manager) return { manager, nodeState, stacks: [] };
    const byNamespace = new Map<string, RawService[]>();
    for (const s of await engine.services()) {
      const ns = namespaceOf(s);
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), s]);
    }
    const stacks: SwarmStackSummary[] = [...byNamespace]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, services]) => ({
        name,
        services: services.length,
        tasksRunning: services.reduce((n, s) => n + (s.ServiceStatus?.RunningTasks ?? 0), 0),
        tasksDesired: services.reduce((n, s) => n + (s.ServiceStatus?.DesiredTasks ?? 0), 0),
        updatedAt:
          services
            .map((s) => s.UpdatedAt)
            .sort()
            .at(-1) ?? null,
      }));
    return { manager, nodeState, stacks };
  }

  async get(hostId: string, name: string): Promise<SwarmStackDetail> {
    const engine = await this.hosts.manager(hostId);
    const [services, networks, secrets, configs] = await Promise.all([
      engine.services(name),
      engine.networks(),
      engine.secrets(),
      engine.configs(),
    ]);
    const mine = (labels: Record<string, string> | null | undefined) =>
      labels?.[STACK_NAMESPACE] === name;
    const detail: SwarmStackDetail = {
      name,
      services: services
        .map((s) => describeService(s, name))
        .sort((a, b) => a.name.localeCompare(b.name)),
      networks: networks
        .filter((n) => mine(n.Labels))
        .map((n) => ({ id: n.Id, name: n.Name, driver: n.Driver, scope: n.Scope })),
      secrets: secrets
        .filter((s) => mine(s.Spec.Labels))
        .map((s) => ({ id: s.ID, name: s.Spec.Name })),
      configs: configs
        .filter((s) => mine(s.Spec.Labels))
        .map((s) => ({ id: s.ID, name: s.Spec.Name })),
    };
    if (
      detail.services.length +
        detail.networks.length +
        detail.secrets.length +
        detail.configs.length ===
      0
    )
      throw AppError.notFound('swarm_stack_not_found', `No swarm stack "${name}" on ${hostId}`);
    return detail;
  }

  /** `docker stack rm`: the services, then the networks, secrets and configs of the namespace. */
  async remove(hostId: string, name: string): Promise<SwarmStackRemoveResult> {
    const detail = await this.get(hostId, name);
    const engine = await this.hosts.manager(hostId);
    const results: SwarmObjectResult[] = [];
    const groups = [
      ['service', detail.services],
      ['network', detail.networks],
      ['secret', detail.secrets],
      ['config', detail.configs],
    ] as const;
    for (const [kind, objects] of groups) {
      for (const object of objects) {
        try {
          await engine.remove(kind, object.id);
          results.push({
            kind,
            name: object.name,
            action: 'remove',
            status: 'done',
            id: object.id,
          });
        } catch (err) {
          results.push({
            kind,
            name: object.name,
            action: 'remove',
            status: 'failed',
            id: object.id,
            message: err instanceof Error ? err.message : String(err),
          });
        }
      }
    }
    return {
      ok: results.every((r) => r.status === 'done'),
      results,
      cli: shellJoin(['docker', 'stack', 'rm', name]),
    };
  }
}
