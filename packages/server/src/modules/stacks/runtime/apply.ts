import type {
  ComposeProject,
  ContainerSpec,
  PlannedService,
  Role,
  StackPlan,
} from '@berth/contract';
import { errorMessage } from '../../../core/errors.js';
import { ContainersApi } from '../../../docker/containers-api.js';
import { tarFiles } from '../../../docker/tar-write.js';
import type { EngineHost } from '../../../docker/engine-hosts.js';
import { specFromInspect } from '../../containers/container-spec.js';
import { COMPOSE_IMAGE } from '../compose-labels.js';
import type { ServiceOutcome, StackOutcome } from '../stack-ports.js';
import { awaitCompleted, awaitHealthy, type ConditionResult } from './conditions.js';
import { buildImage, pullImage, type RegistryCredentials } from './images.js';
import { ProjectEvents } from './project-events.js';
import {
  admitVolumes,
  createResources,
  refuseConflicts,
  takeDownRecreatedNetworks,
  type VolumePolicy,
} from './resources.js';
import type { ContentSeal } from './service-fields.js';
import { desiredContainers, serviceImage, type DesiredContainer } from './service-spec.js';

/** The create path every container goes through: ContainerCreateService's checks and create. */
export interface ContainerCreator {
  admit(
    role: Role,
    host: EngineHost,
    spec: ContainerSpec,
    inherited?: ContainerSpec,
  ): Promise<void>;
  checkFit(host: EngineHost, spec: ContainerSpec, exceptId?: string): Promise<void>;
  checkCapacity(host: EngineHost, adding: number): Promise<string[]>;
  createAdmitted(host: EngineHost, spec: ContainerSpec): Promise<string>;
}

export type Emit = (
  service: string | null,
  container: string | null,
  step: string,
  message?: string | null,
) => void;

export interface ApplyContext {
  host: EngineHost;
  project: ComposeProject;
  plan: StackPlan;
  role: Role;
  creator: ContainerCreator;
  volumePolicy: VolumePolicy;
  registries: RegistryCredentials;
  seal: ContentSeal;
  emit: Emit;
}

interface ServiceRun {
  ok: boolean;
  /** The service's containers, as they are now. */
  ids: string[];
  /** Whether any of them was created, recreated or started. */
  changed: boolean;
}

type Condition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

const CONDITION_FAILED: Record<Condition, string> = {
  service_started: 'did not start',
  service_healthy: 'did not become healthy',
  service_completed_successfully: 'did not complete successfully',
};

/**
 * Carries out a plan: every container admitted by the host's policy first (nothing changes
 * when one is refused), then networks and volumes, images, removals, and the services in
 * dependency order, each as soon as what it depends on is satisfied.
 */
export class StackApply {
  private readonly api: ContainersApi;
  private readonly outcomes = new Map<string, ServiceOutcome>();
  private readonly runs = new Map<string, Promise<ServiceRun>>();
  private readonly conditions = new Map<string, Promise<ConditionResult>>();
  private readonly desired = new Map<string, DesiredContainer[]>();
  private readonly imageFailures = new Map<string, string>();
  private events: ProjectEvents | null = null;
  /** Containers already removed with a network that is recreated: they are created anew. */
  private removed = new Set<string>();

  constructor(private readonly ctx: ApplyContext) {
    this.api = new ContainersApi(ctx.host.client);
  }

  async run(): Promise<StackOutcome> {
    const { plan, project, host } = this.ctx;
    refuseConflicts(plan);
    const services = plan.services.filter((s) => project.services[s.service]);
    for (const s of services)
      this.desired.set(s.service, desiredContainers(project, s.service, this.ctx.seal));
    await this.admit(services);
    await admitVolumes(this.ctx.volumePolicy, this.ctx.role, host, project, plan);
    this.events = await ProjectEvents.open(host.client, project.name);
    try {
      const report = (step: string, message: string): void =>
        this.ctx.emit(null, null, step, message);
      this.removed = await takeDownRecreatedNetworks(host, plan, report);
      await createResources(host, project, plan, report);
      await this.images(services);
      await this.removals();
      for (const s of services) this.runs.set(s.service, this.runService(s));
      await Promise.all(this.runs.values());
      await Promise.all(this.conditions.values());
    } finally {
      this.events.close();
    }
    const outcomes = plan.services.map(
      (s) => this.outcomes.get(s.service) ?? { service: s.service, status: 'done' as const },
    );
    const ok = outcomes.every((o) => o.status !== 'failed' && o.status !== 'skipped');
    this.ctx.emit(null, null, ok ? 'done' : 'failed', ok ? null : 'some services failed');
    return { ok, services: outcomes };
  }

  private spec(service: string, name: string): ContainerSpec {
    const found = this.desired.get(service)?.find((d) => d.name === name);
    if (!found) throw new Error(`the plan names ${name}, which ${service} does not want`);
    return found.spec;
  }

  /** The policy and the host's fit for every container to be made, before anything changes. */
  private async admit(services: PlannedService[]): Promise<void> {
    const creates = services.flatMap((s) => s.containers).filter((c) => c.action === 'create');
    if (creates.length > 0)
      for (const warning of await this.ctx.creator.checkCapacity(this.ctx.host, creates.length))
        this.ctx.emit(null, null, 'creating', warning);
    for (const s of services)
      for (const c of s.containers) {
        if (c.action !== 'create' && c.action !== 'recreate') continue;
        const spec = this.spec(s.service, c.name);
        await this.ctx.creator.admit(this.ctx.role, this.ctx.host, spec, await this.held(c.id));
        await this.ctx.creator.checkFit(this.ctx.host, spec, c.id);
      }
  }

  /**
   * The container a recreate replaces, as a spec: what it already has and keeps is not asked
   * for, as when a container is edited in the UI (docs/security.md).
   */
  private async held(id: string | undefined): Promise<ContainerSpec | undefined> {
    const inspect = id ? await this.api.find(id) : undefined;
    return inspect && specFromInspect(inspect, await this.api.inspectImage(inspect.Image));
  }

  private async images(services: PlannedService[]): Promise<void> {
    for (const s of services) {
      const service = this.ctx.project.services[s.service];
      if (!service || s.image === 'present') continue;
      const image = serviceImage(this.ctx.project, s.service, service);
      const report = (step: string, message: string): void =>
        this.ctx.emit(s.service, null, step, message);
      const failure =
        s.image === 'build' && service.build
          ? await buildImage(this.ctx.host, image, service.build, this.ctx.registries, report)
          : await pullImage(this.ctx.host, image, this.ctx.registries, report);
      if (failure) this.imageFailures.set(s.service, failure);
    }
  }

  private async removals(): Promise<void> {
    for (const s of this.ctx.plan.services)
      for (const c of s.containers) {
        if (c.action !== 'remove' || !c.id || this.removed.has(c.id)) continue;
        this.ctx.emit(s.service, c.name, 'removing', null);
        await this.api.stop(c.id).catch(() => undefined);
        await this.api.remove(c.id, { force: true });
      }
  }

  private settle(service: string, status: ServiceOutcome['status'], message?: string): void {
    this.outcomes.set(service, { service, status, ...(message ? { message } : {}) });
    this.ctx.emit(service, null, status === 'unchanged' ? 'done' : status, message ?? null);
  }

  private async runService(planned: PlannedService): Promise<ServiceRun> {
    const name = planned.service;
    const service = this.ctx.project.services[name];
    const failed: ServiceRun = { ok: false, ids: [], changed: false };
    if (!service) return failed;
    let restart = false;
    for (const [dep, options] of Object.entries(service.depends_on)) {
      const depRun = this.runs.get(dep);
      if (!depRun) continue;
      const result = await depRun;
      if (!result.ok) {
        this.settle(name, 'skipped', `skipped: its dependency ${dep} failed`);
        return failed;
      }
      this.ctx.emit(name, null, 'waiting', `for ${dep} (${options.condition})`);
      const condition = await this.condition(dep, options.condition, result.ids);
      if (!condition.ok) {
        const why = `skipped: its dependency ${dep} ${CONDITION_FAILED[options.condition]}`;
        this.settle(name, 'skipped', condition.message ? `${why}: ${condition.message}` : why);
        return failed;
      }
      if (options.restart && result.changed) restart = true;
    }
    const imageFailure = this.imageFailures.get(name);
    if (imageFailure) {
      this.settle(name, 'failed', imageFailure);
      return failed;
    }
    const ids: string[] = [];
    let changed = false;
    for (const c of planned.containers) {
      if (c.action === 'remove') continue;
      try {
        const id = await this.container(name, c, restart);
        ids.push(id);
        changed ||= c.action !== 'unchanged' || restart;
      } catch (err) {
        this.settle(name, 'failed', `${c.name}: ${errorMessage(err)}`);
        return failed;
      }
    }
    this.settle(name, changed ? 'done' : 'unchanged');
    return { ok: true, ids, changed };
  }

  /** One container's action; resolves with its id as it is afterwards. */
  private async container(
    service: string,
    c: PlannedService['containers'][number],
    restart: boolean,
  ): Promise<string> {
    const emit = (step: string, message: string | null = null): void =>
      this.ctx.emit(service, c.name, step, message);
    switch (c.action) {
      case 'create': {
        emit('creating');
        const id = await this.create(service, c.name);
        emit('starting');
        await this.api.start(id);
        return id;
      }
      case 'recreate': {
        emit('recreating', c.changes.join(', '));
        if (!this.removed.has(c.id ?? '')) return this.recreate(service, c.name, c.id ?? '');
        const id = await this.create(service, c.name);
        await this.api.start(id);
        return id;
      }
      case 'start':
        emit('starting');
        await this.api.start(c.id ?? '');
        return c.id ?? '';
      case 'remove':
      case 'unchanged':
        if (restart) {
          emit('starting', 'restarting: a dependency was recreated or restarted');
          await this.api.restart(c.id ?? '');
        }
        return c.id ?? '';
    }
  }

  /** Creates the container, and copies in its secrets and configs with content before it starts. */
  private async create(service: string, name: string): Promise<string> {
    const desired = this.desired.get(service)?.find((d) => d.name === name);
    const spec = this.spec(service, name);
    const image = await this.api.inspectImage(spec.image);
    const id = await this.ctx.creator.createAdmitted(this.ctx.host, {
      ...spec,
      labels: { ...spec.labels, ...(image ? { [COMPOSE_IMAGE]: image.Id } : {}) },
    });
    const copies = desired?.copies ?? [];
    if (copies.length === 0) return id;
    try {
      const archive = await tarFiles(
        copies.map((c) => ({
          name: c.path.replace(/^\/+/, ''),
          content: Buffer.from(c.content),
          mode: c.mode,
          uid: c.uid,
          gid: c.gid,
        })),
      );
      await this.api.putArchive(id, '/', archive);
    } catch (err) {
      await this.api.remove(id, { force: true }).catch(() => undefined);
      throw new Error(`copying its secrets and configs in failed: ${errorMessage(err)}`);
    }
    return id;
  }

  /**
   * Stops the old container and moves it aside (as compose does, `<id>_<name>`), creates and
   * starts the new one, then removes the old. A failure puts the old one back as it was.
   */
  private async recreate(service: string, name: string, oldId: string): Promise<string> {
    const old = await this.api.inspect(oldId);
    const wasRunning = old.State.Running;
    if (wasRunning) await this.api.stop(oldId, old.Config.StopTimeout);
    await this.api.rename(oldId, `${oldId.slice(0, 12)}_${name}`);
    let newId: string | null = null;
    try {
      newId = await this.create(service, name);
      await this.api.start(newId);
    } catch (err) {
      if (newId) await this.api.remove(newId, { force: true }).catch(() => undefined);
      await this.api.rename(oldId, name);
      if (wasRunning) await this.api.start(oldId).catch(() => undefined);
      throw err;
    }
    await this.api.remove(oldId, { force: true });
    return newId;
  }

  /** Whether a dependency meets `condition`; once per dependency and condition, shared by its dependents. */
  private condition(dep: string, condition: Condition, ids: string[]): Promise<ConditionResult> {
    const key = `${dep}:${condition}`;
    let pending = this.conditions.get(key);
    if (!pending) {
      pending = this.check(dep, condition, ids);
      this.conditions.set(key, pending);
    }
    return pending;
  }

  private async check(dep: string, condition: Condition, ids: string[]): Promise<ConditionResult> {
    const events = this.events;
    if (condition === 'service_started' || !events) return { ok: true };
    const wait = condition === 'service_healthy' ? awaitHealthy : awaitCompleted;
    const names = this.desired.get(dep)?.map((d) => d.name) ?? [];
    const results = await Promise.all(
      ids.map((id, i) => wait(this.api, events, id, names[i] ?? dep)),
    );
    const failure = results.find((r) => !r.ok);
    if (failure) {
      this.settle(dep, 'failed', failure.message);
      return failure;
    }
    if (condition === 'service_healthy') this.ctx.emit(dep, null, 'healthy', null);
    else this.settle(dep, 'completed');
    return { ok: true };
  }
}
