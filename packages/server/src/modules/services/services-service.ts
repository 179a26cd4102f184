import type {
  ServiceChange,
  ServiceCreate,
  ServiceDetail,
  ServiceList,
  ServiceUpdate,
  TaskList,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { dockerCommand } from '../../core/docker-command.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { SwarmApi } from '../../docker/swarm-api.js';
import type { RawService, RawServiceSpec } from '../../docker/swarm-types.js';
import type { RollbackLedger } from './rollback-ledger.js';
import { createCli, updateCli } from './service-cli.js';
import { specFromCreate, specWithUpdate, type FileLookup } from './service-spec.js';
import { serviceDetail, serviceSummary, taskView } from './service-views.js';
import { onManager, swarmHost, type SwarmHost } from './swarm-host.js';

type FileRefs = ServiceCreate['secrets'];

/** Swarm services and their tasks, on a host that is a manager. */
export class ServicesService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly ledger: RollbackLedger,
  ) {}

  list(hostId: string): Promise<ServiceList> {
    const { api } = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => ({
      services: (await api.services())
        .map((s) => serviceSummary(s, this.ledger))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }));
  }

  get(hostId: string, ref: string): Promise<ServiceDetail> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const service = await this.resolve(target, hostId, ref);
      // Only the list counts running tasks (status=true).
      const [listed] = await target.api.services({ id: [service.ID] });
      const names = new Map(target.host.state.networks().map((n) => [n.Id, n.Name]));
      return serviceDetail(
        { ...service, ServiceStatus: listed?.ServiceStatus ?? service.ServiceStatus },
        this.ledger,
        names,
      );
    });
  }

  create(hostId: string, input: ServiceCreate): Promise<ServiceChange> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const [secrets, configs] = await Promise.all([
        input.secrets ? this.lookup(target.api, 'secrets', input.secrets) : null,
        input.configs ? this.lookup(target.api, 'configs', input.configs) : null,
      ]);
      const spec = specFromCreate(input, secrets ?? noFiles, configs ?? noFiles);
      const { id, warnings } = await target.api.createService(spec);
      const service = await this.resolve(target, hostId, id);
      return { service: serviceSummary(service, this.ledger), warnings, cli: createCli(input) };
    });
  }

  update(hostId: string, ref: string, input: ServiceUpdate): Promise<ServiceChange> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const service = await this.resolve(target, hostId, ref);
      if (input.version !== service.Version.Index) {
        throw AppError.conflict(
          'service_changed',
          `${service.Spec.Name} changed since version ${input.version} was read (it is at ${service.Version.Index}): read it again and retry`,
          { field: 'body.version', current: service.Version.Index },
        );
      }
      if (input.replicas !== undefined && service.Spec.Mode.Global !== undefined)
        throw globalReplicas('body.replicas');
      const [secrets, configs] = await Promise.all([
        input.secrets ? this.lookup(target.api, 'secrets', input.secrets) : null,
        input.configs ? this.lookup(target.api, 'configs', input.configs) : null,
      ]);
      const spec = specWithUpdate(service.Spec, input, secrets ?? noFiles, configs ?? noFiles);
      const cli = updateCli(service.Spec.Name, input, service.Spec);
      return this.apply(target, hostId, service, spec, cli);
    });
  }

  scale(hostId: string, ref: string, replicas: number): Promise<ServiceChange> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const service = await this.resolve(target, hostId, ref);
      if (service.Spec.Mode.Global !== undefined) throw globalReplicas('body.replicas');
      const spec = { ...service.Spec, Mode: { Replicated: { Replicas: replicas } } };
      const cli = dockerCommand('service', 'scale', `${service.Spec.Name}=${replicas}`);
      return this.apply(target, hostId, service, spec, cli);
    });
  }

  /** Berth's rollback: the engine's own `rollback=previous`, shown as a manual rollback. */
  rollback(hostId: string, ref: string): Promise<ServiceChange> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const service = await this.resolve(target, hostId, ref);
      if (!service.PreviousSpec) {
        throw AppError.conflict(
          'no_previous_spec',
          `${service.Spec.Name} has not been updated: there is no previous spec to go back to`,
        );
      }
      const cli = dockerCommand('service', 'rollback', service.Spec.Name);
      return this.apply(target, hostId, service, service.Spec, cli, true);
    });
  }

  /** A paused update goes on when the spec is sent again (what `docker service update` does). */
  resume(hostId: string, ref: string): Promise<ServiceChange> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const service = await this.resolve(target, hostId, ref);
      const state = service.UpdateStatus?.State;
      if (state !== 'paused' && state !== 'rollback_paused') {
        throw AppError.conflict(
          'update_not_paused',
          `${service.Spec.Name}'s update is not paused (${state ?? 'never updated'})`,
        );
      }
      const cli = dockerCommand('service', 'update', service.Spec.Name);
      return this.apply(target, hostId, service, service.Spec, cli);
    });
  }

  remove(hostId: string, ref: string): Promise<{ ok: true; cli: string }> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const service = await this.resolve(target, hostId, ref);
      await target.api.removeService(service.ID);
      return { ok: true, cli: dockerCommand('service', 'rm', service.Spec.Name) };
    });
  }

  tasks(hostId: string, ref: string): Promise<TaskList> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const service = await this.resolve(target, hostId, ref);
      return this.taskList(target.api, { service: [service.ID] });
    });
  }

  allTasks(
    hostId: string,
    query: { service?: string | undefined; node?: string | undefined; desiredState?: string },
  ): Promise<TaskList> {
    const target = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const filters: Record<string, string[]> = {};
      if (query.service) filters.service = [query.service];
      if (query.node) filters.node = [query.node];
      if (query.desiredState) filters['desired-state'] = [query.desiredState];
      return this.taskList(target.api, filters);
    });
  }

  /** A service by id, id prefix or name; 404 service_not_found. */
  async resolve(target: SwarmHost, hostId: string, ref: string): Promise<RawService> {
    const service = await target.api.service(ref);
    if (!service) throw AppError.notFound('service_not_found', `No service "${ref}" on ${hostId}`);
    this.ledger.note(service.ID, service.UpdateStatus);
    return service;
  }

  private async apply(
    target: SwarmHost,
    hostId: string,
    service: RawService,
    spec: RawServiceSpec,
    cli: string,
    rollback = false,
  ): Promise<ServiceChange> {
    const warnings = await target.api.updateService(
      service.ID,
      service.Version.Index,
      spec,
      rollback,
    );
    const after = await this.resolve(target, hostId, service.ID);
    const [listed] = await target.api.services({ id: [service.ID] });
    return { service: serviceSummary(listed ?? after, this.ledger), warnings, cli };
  }

  private async taskList(api: SwarmApi, filters: Record<string, string[]>): Promise<TaskList> {
    const [tasks, services, nodes] = await Promise.all([
      api.tasks(filters),
      api.services(),
      api.nodes(),
    ]);
    const names = new Map(services.map((s) => [s.ID, s.Spec.Name]));
    const byId = new Map(nodes.map((n) => [n.ID, n]));
    return {
      tasks: tasks
        .map((t) => taskView(t, names, byId))
        .sort(
          (a, b) =>
            (a.serviceName ?? '').localeCompare(b.serviceName ?? '') ||
            (a.slot ?? 0) - (b.slot ?? 0) ||
            b.createdAt.localeCompare(a.createdAt),
        ),
    };
  }

  /** Names or ids of secrets (configs) to the engine's id and name; a missing one is a 400. */
  private async lookup(
    api: SwarmApi,
    kind: 'secrets' | 'configs',
    refs: NonNullable<FileRefs>,
  ): Promise<FileLookup> {
    const known = await api.files(kind);
    const find = (ref: string) =>
      known.find((s) => s.Spec.Name === ref || s.ID === ref) ??
      known.find((s) => s.ID.startsWith(ref));
    refs.forEach((ref, i) => {
      if (!find(ref.name)) {
        const field = `body.${kind}.${i}.name`;
        throw AppError.badRequest(
          'validation_failed',
          `Invalid request: ${field}: no ${kind.slice(0, -1)} "${ref.name}"`,
          { issues: [{ field, message: `no ${kind.slice(0, -1)} "${ref.name}"` }] },
        );
      }
    });
    return (ref) => {
      const found = find(ref);
      return { id: found?.ID ?? ref, name: found?.Spec.Name ?? ref };
    };
  }
}

const noFiles: FileLookup = (name) => ({ id: name, name });

function globalReplicas(field: string): AppError {
  return AppError.badRequest(
    'validation_failed',
    `Invalid request: ${field}: a global service runs one task per node and takes no replicas`,
    { issues: [{ field, message: 'a global service takes no replicas' }] },
  );
}
