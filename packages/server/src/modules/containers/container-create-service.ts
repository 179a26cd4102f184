import type {
  ContainerCreate,
  ContainerCreated,
  ContainerPreview,
  ContainerRecreate,
  ContainerSpec,
  Role,
  StartValidation,
} from '@berth/contract';
import { formatSize, overHostMessage } from '@berth/contract';
import { randomBytes } from 'node:crypto';
import { AppError, errorMessage } from '../../core/errors.js';
import { ContainersApi } from '../../docker/containers-api.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { readNdjson } from '../../docker/ndjson.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { HostHardware } from '../hosts/host-hardware.js';
import { requireHost } from '../hosts/require-host.js';
import { buildCreateBody, dockerRunForSpec, specFromInspect } from './container-spec.js';
import type { ContainersService } from './containers-service.js';
import type { EnvironmentsRepository } from './environments-repository.js';
import { findPortConflicts } from './port-conflicts.js';
import { validateStart } from './post-start-validation.js';
import { settleRecreate } from './recreate-recovery.js';
import { changedOptions } from './spec-changes.js';
import type { JournalOperation, OperationJournal } from '../journal/operation-journal.js';

interface PullLine {
  status?: string;
  id?: string;
  error?: string;
  progressDetail?: { current?: number; total?: number };
}

export interface CreateDeps {
  hosts: EngineHosts;
  /** Where a start that fails its validation is recorded (the health history). */
  startFailures?: {
    recordPostStartFailure(hostId: string, id: string, validation: StartValidation): void;
  };
  /** Picks addresses so reserved ones are only handed out on request. */
  addresses: {
    plan(
      host: EngineHost,
      network: string,
      requested?: string,
      reservation?: string,
    ): Promise<string | undefined>;
  };
  containers: ContainersService;
  environments: EnvironmentsRepository;
  settings: SettingsService;
  hardware: HostHardware;
  /** Where a recreate writes each step before taking it. */
  journal: OperationJournal;
  /** The host's security settings: what non-admins may ask of the host. */
  policy: {
    enforce(
      role: Role,
      host: EngineHost,
      spec: ContainerSpec,
      inherited?: ContainerSpec,
    ): Promise<void>;
  };
}

/** A recreate's progress event, less its container and step. */
const RECREATE_PROGRESS = {
  operation: 'recreate',
  transferId: null,
  layer: null,
  current: null,
  total: null,
} as const;

/** Creating containers, and the two operations built on it: edit (recreate) and duplicate. */
export class ContainerCreateService {
  constructor(private readonly deps: CreateDeps) {}

  /**
   * What a create (or, with `exceptId`, an edit) would run into, without doing it: the
   * docker run, host ports already published by running containers, a name already taken.
   */
  preview(hostId: string, spec: ContainerSpec, except?: string): ContainerPreview {
    const host = requireHost(this.deps.hosts, hostId);
    const exceptId = except
      ? host.state.containers().find((c) => c.id === except || c.name === except)?.id
      : undefined;
    const nameTakenBy = spec.name
      ? host.state.containers().find((c) => c.name === spec.name && c.id !== exceptId)
      : undefined;
    return {
      cli: dockerRunForSpec(spec),
      portConflicts: findPortConflicts(spec.ports ?? [], host.state.containers(), exceptId),
      nameTaken: nameTakenBy !== undefined,
    };
  }

  async create(role: Role, hostId: string, input: ContainerCreate): Promise<ContainerCreated> {
    const host = requireHost(this.deps.hosts, hostId);
    const api = new ContainersApi(host.client);
    const { autoStart, validateSeconds, ...spec } = input;
    await this.admit(role, host, spec);
    if (spec.name && host.state.containers().some((c) => c.name === spec.name)) {
      throw AppError.conflict('name_taken', `A container named "${spec.name}" exists on ${hostId}`);
    }
    await this.checkFit(host, spec);
    const warnings = await this.checkCapacity(host);
    await this.ensureImage(host, api, spec.image);

    const id = await this.createAndConnect(api, await this.planAddresses(host, spec));
    if (spec.environment) await this.deps.environments.set(hostId, id, spec.environment);
    const validation = autoStart
      ? await this.startAndValidate(host, api, id, validateSeconds)
      : null;
    await host.state.refreshNow('container', id);
    const container = await this.deps.containers.detail(hostId, id);
    return { container, validation, warnings, cli: container.cli };
  }

  /**
   * Edit = recreate: stop the container, rename it aside, create the new one under its name,
   * start and validate it, and only then remove the old one. On any failure the new one goes
   * and the old one comes back as it was.
   */
  async recreate(
    role: Role,
    hostId: string,
    ref: string,
    changes: ContainerRecreate,
  ): Promise<ContainerCreated & { changed: string[] }> {
    const { host, api, id, name } = await this.deps.containers.resolve(hostId, ref);
    const inspect = await api.inspect(id);
    const current = specFromInspect(inspect, await api.inspectImage(inspect.Image));
    const { validateSeconds, replace, ...patch } = changes;
    const spec: ContainerSpec = replace
      ? { ...patch, image: patch.image ?? current.image, name: patch.name ?? name }
      : { ...current, ...patch, name: patch.name ?? name };
    const environment = current.environment ?? (await this.deps.environments.get(hostId, id));
    if (!replace) spec.environment ??= environment;
    // What the audit entry lists: the options that differ, not the whole spec.
    const changed = changedOptions({ ...current, environment }, spec);
    await this.admit(role, host, spec, current);
    await this.checkFit(host, spec, id);
    await this.ensureImage(host, api, spec.image);

    // Recovery takes what holds the new name (but the old container) for the new container.
    if (spec.name !== name && host.state.containers().some((c) => c.name === spec.name)) {
      throw AppError.conflict('name_taken', `A container named "${spec.name}" exists on ${hostId}`);
    }
    const op = await this.deps.journal.begin('recreate', hostId, 'stopping', {
      name,
      newName: spec.name ?? name,
      oldId: id,
      asideName: `${name}-berth-old-${randomBytes(3).toString('hex')}`,
      wasRunning: inspect.State.Running,
      environment: spec.environment ?? null,
    });
    const newId = await this.replaceContainer(host, api, op, spec, current, validateSeconds);
    await Promise.all([
      host.state.refreshNow('container', id),
      host.state.refreshNow('container', newId.id),
    ]);
    const container = await this.deps.containers.detail(hostId, newId.id);
    return { container, validation: newId.validation, warnings: [], cli: container.cli, changed };
  }

  /**
   * The engine steps of a recreate, each written to the journal before it is taken, so a
   * crash at any point is finished or rolled back at the next start (`settleRecreate`).
   */
  private async replaceContainer(
    host: EngineHost,
    api: ContainersApi,
    op: JournalOperation<'recreate'>,
    spec: ContainerSpec,
    current: ContainerSpec,
    validateSeconds: number,
  ): Promise<{ id: string; validation: StartValidation }> {
    const { oldId, asideName, wasRunning } = op.data;
    // Each step as it is taken, for the page that waits on it (the events stream's progress).
    const report = (status: string): void =>
      host.progress.emit({ ...RECREATE_PROGRESS, subject: op.data.name, status });
    const step = async (name: 'renaming' | 'creating' | 'starting' | 'removing-old') => {
      await op.step(name);
      report(name);
    };
    let newId: string;
    let validation: StartValidation;
    try {
      if (wasRunning) {
        report('stopping');
        await api.stop(oldId);
      }
      await step('renaming');
      await api.rename(oldId, asideName);
      await step('creating');
      newId = await this.createAndConnect(
        api,
        await this.planAddresses(host, spec, current.networks),
      );
      await step('starting');
      validation = await this.startAndValidate(host, api, newId, validateSeconds);
    } catch (err) {
      await this.settle(host, api, op, false);
      report('rolled-back');
      throw err;
    }
    if (!validation.ok) {
      await this.settle(host, api, op, false);
      report('rolled-back');
      throw new AppError(
        422,
        'recreate_failed',
        `The new container failed: ${validation.message}; the old one is back`,
        { validation },
      );
    }
    await step('removing-old');
    await this.settle(host, api, op, true);
    report('done');
    return { id: newId, validation };
  }

  /** Rolls the recreate back (or finishes it); if that fails, recovery takes it from there. */
  private async settle(
    host: EngineHost,
    api: ContainersApi,
    op: JournalOperation<'recreate'>,
    finish: boolean,
  ): Promise<void> {
    try {
      await settleRecreate(api, this.deps.environments, host.id, op.data, finish);
    } catch (err) {
      op.release();
      throw err;
    }
    await op.finish();
  }

  /** The same configuration under a new name; host ports and fixed IPs are left to the engine. */
  async duplicate(
    role: Role,
    hostId: string,
    ref: string,
    newName: string,
    start: boolean,
  ): Promise<ContainerCreated> {
    const { api, id } = await this.deps.containers.resolve(hostId, ref);
    const inspect = await api.inspect(id);
    const spec = { ...specFromInspect(inspect, await api.inspectImage(inspect.Image)) };
    delete spec.hostname;
    return this.create(role, hostId, {
      ...spec,
      name: newName,
      ports: spec.ports?.map((p) => ({
        containerPort: p.containerPort,
        protocol: p.protocol,
        ...(p.hostIp ? { hostIp: p.hostIp } : {}),
      })),
      networks: spec.networks?.map((n) => ({
        name: n.name,
        ...(n.aliases ? { aliases: n.aliases } : {}),
      })),
      autoStart: start,
      validateSeconds: start ? 10 : 0,
    });
  }

  /**
   * What `role` may ask of the host: the gate every path that creates a container goes
   * through (this service's create and edit, and compose stacks). `inherited` is the
   * container being replaced, whose host-level options pass when kept as they are.
   */
  async admit(
    role: Role,
    host: EngineHost,
    spec: ContainerSpec,
    inherited?: ContainerSpec,
  ): Promise<void> {
    this.checkPrivileged(role, spec);
    await this.deps.policy.enforce(role, host, spec, inherited);
  }

  /** Whether the host can take the spec: its host ports free (but `exceptId`'s), its memory limit sane. */
  async checkFit(host: EngineHost, spec: ContainerSpec, exceptId?: string): Promise<void> {
    this.checkPorts(host, spec, exceptId);
    await this.checkMemory(host, spec);
  }

  /**
   * Creates an admitted spec (not started): fixed addresses and reservations resolved, the
   * extra networks attached. For callers that pulled the image and ran `admit` and `checkFit`.
   */
  async createAdmitted(host: EngineHost, spec: ContainerSpec): Promise<string> {
    return this.createAndConnect(
      new ContainersApi(host.client),
      await this.planAddresses(host, spec),
    );
  }

  private checkPrivileged(role: Role, spec: ContainerSpec): void {
    if (spec.privileged && role !== 'admin') {
      throw new AppError(
        403,
        'privileged_needs_admin',
        'Only admins may create privileged containers',
      );
    }
  }

  private checkPorts(host: EngineHost, spec: ContainerSpec, exceptId?: string): void {
    const conflicts = findPortConflicts(spec.ports ?? [], host.state.containers(), exceptId);
    const [first] = conflicts;
    if (first) {
      throw AppError.conflict(
        'port_conflict',
        `Port ${first.port}/${first.protocol} on ${first.hostIp} is already published by ${first.container}`,
        { conflicts },
      );
    }
  }

  /** A memory limit above the host's memory is a typo (`1g` meant `1m`?), refused. */
  private async checkMemory(host: EngineHost, spec: ContainerSpec): Promise<void> {
    const asked = spec.resources?.memoryBytes;
    const total = asked === undefined ? 0 : (await this.deps.hardware.profile(host)).memoryBytes;
    if (asked === undefined || total === 0 || asked <= total) return;
    const message = overHostMessage(total);
    throw AppError.badRequest('memory_over_host', `Memory limit ${formatSize(asked)}: ${message}`, {
      issues: [{ field: 'body.resources.memoryBytes', message }],
      totalBytes: total,
    });
  }

  /** The hardware profile's counts: a warning past the recommended, a refusal past the max. */
  /** Warnings for `adding` more containers on the host; a refusal past its profile's hard limit. */
  async checkCapacity(host: EngineHost, adding = 1): Promise<string[]> {
    const profile = await this.deps.hardware.profile(host);
    const existing = host.state.containers().length;
    const count = existing + adding;
    if (count > profile.maxContainers) {
      if (!(await this.deps.settings.get()).allowOverContainerLimit) {
        const limit = `the most its ${profile.profile} profile allows (${profile.maxContainers}); an admin can lift this in settings`;
        throw AppError.conflict(
          'container_limit_reached',
          adding === 1
            ? `${host.id} already has ${existing} containers, ${limit}`
            : `${host.id} has ${existing} containers; ${adding} more would pass ${limit}`,
          { count: existing, max: profile.maxContainers, profile: profile.profile },
        );
      }
      return [
        `Past the hard limit of ${profile.maxContainers} containers for this ${profile.profile} host (allowed by settings)`,
      ];
    }
    if (count > profile.recommendedContainers) {
      return [
        `This host will run ${count} containers; ${profile.recommendedContainers} is recommended for a ${profile.profile} host`,
      ];
    }
    return [];
  }

  /** Pulls a missing image, publishing its progress on the host's progress feed. */
  private async ensureImage(host: EngineHost, api: ContainersApi, image: string): Promise<void> {
    if (await api.inspectImage(image)) return;
    let failure: string | null = null;
    try {
      const progress = await api.pullImage(image);
      for await (const line of readNdjson<PullLine>(progress)) {
        if (line.error) failure = line.error;
        host.progress.emit({
          operation: 'pull',
          transferId: null,
          subject: image,
          status: line.error ?? line.status ?? '',
          layer: line.id ?? null,
          current: line.progressDetail?.current ?? null,
          total: line.progressDetail?.total ?? null,
        });
      }
    } catch (err) {
      failure = errorMessage(err);
    }
    if (failure !== null || !(await api.inspectImage(image))) {
      throw AppError.notFound(
        'image_pull_failed',
        `Image ${image} is not on the host and could not be pulled: ${failure ?? 'unknown error'}`,
      );
    }
  }

  /** Fills in each network's address where reservations require Berth to choose it. */
  /**
   * Fixed addresses and reservations resolved. `held` is what the container being recreated
   * has now: keeping its own address is no claim on a reservation, even a reserved one.
   */
  private async planAddresses(
    host: EngineHost,
    spec: ContainerSpec,
    held: ContainerSpec['networks'] = [],
  ): Promise<ContainerSpec> {
    if (!spec.networks?.length) return spec;
    const networks = [];
    for (const net of spec.networks) {
      const keeps =
        !net.reservation &&
        net.ipv4Address !== undefined &&
        held.some((h) => h.name === net.name && h.ipv4Address === net.ipv4Address);
      const ip = keeps
        ? net.ipv4Address
        : await this.deps.addresses.plan(host, net.name, net.ipv4Address, net.reservation);
      const { reservation: _reservation, ...rest } = net;
      void _reservation;
      networks.push({ ...rest, ...(ip ? { ipv4Address: ip } : {}) });
    }
    return { ...spec, networks };
  }

  /** Creates, then attaches the extra networks; a failure removes what was created. */
  private async createAndConnect(api: ContainersApi, spec: ContainerSpec): Promise<string> {
    const id = await api.create(spec.name, buildCreateBody(spec));
    try {
      for (const net of (spec.networks ?? []).slice(1))
        await api.connectNetwork(id, net.name, net.ipv4Address, net.aliases, net.ipv6Address);
    } catch (err) {
      await api.remove(id, { force: true });
      throw err;
    }
    return id;
  }

  private async startAndValidate(
    host: EngineHost,
    api: ContainersApi,
    id: string,
    windowS: number,
  ): Promise<StartValidation> {
    try {
      await api.start(id);
    } catch (err) {
      return {
        ok: false,
        state: 'created',
        health: null,
        exitCode: null,
        oomKilled: false,
        logs: [],
        message: errorMessage(err),
      };
    }
    const validation = await validateStart(api, host.state, id, windowS);
    if (!validation.ok) this.deps.startFailures?.recordPostStartFailure(host.id, id, validation);
    return validation;
  }
}
