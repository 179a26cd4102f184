import type { HostCreate, HostTestResult, HostTlsInput, HostUpdate } from '@berth/contract';
import type { SecretBox } from '../../core/crypto.js';
import { AppError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EngineEndpoint } from '../../docker/engine-endpoint.js';
import type { EngineHost, EngineHosts, HostDefinition } from '../../docker/engine-hosts.js';
import { canonicalUrl, endpointOf, type ConnectionInput } from './host-definition.js';
import { probeEngine } from './host-probe.js';
import type { HostsRepository, StoredHost } from './hosts-repository.js';
import { requireHost } from './require-host.js';

export interface HostRegistryDeps {
  hosts: EngineHosts;
  repository: HostsRepository;
  box: SecretBox;
  logger: Logger;
  readLocalModel: () => Promise<string | null>;
  /** How long testing a definition waits for the engine. */
  probeTimeoutMs?: number;
}

/**
 * Hosts added, changed and removed at runtime. Each change is tested against the engine first
 * and stored before the host starts, so a failure leaves nothing behind; changes run one at a
 * time, so two adds cannot both pass the duplicate check.
 */
export class HostRegistry {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: HostRegistryDeps) {}

  /** Starts every stored host besides `local` (at start-up). One that cannot be read is logged. */
  async load(): Promise<void> {
    for (const stored of await this.deps.repository.listStored()) {
      if (stored.id === 'local' || this.deps.hosts.get(stored.id)) continue;
      try {
        this.deps.hosts.add(this.definitionOf(stored, this.endpointOfStored(stored)));
      } catch (err) {
        this.deps.logger.error(
          { host: stored.id, err: errorMessage(err) },
          'stored host not loaded',
        );
      }
    }
  }

  /** Tests a definition without saving it. */
  async test(input: HostCreate): Promise<HostTestResult> {
    const endpoint = endpointOf(input);
    const probe = await probeEngine(endpoint, this.deps.readLocalModel, this.deps.probeTimeoutMs);
    if (!probe.ok) return probe;
    const duplicate = await this.holderOf(probe.engine.id, input.name);
    return { ...probe, duplicateOf: duplicate?.id ?? null, hostKey: null };
  }

  create(input: HostCreate): Promise<EngineHost> {
    return this.serially(async () => {
      if (this.deps.hosts.get(input.name) || (await this.deps.repository.get(input.name)))
        throw AppError.conflict('host_exists', `A host named "${input.name}" exists already`, {
          issues: [{ field: 'body.name', message: 'is taken' }],
        });
      const endpoint = endpointOf(input);
      const engineId = await this.reach(endpoint, input.name, input.allowDuplicate === true);
      const stored: StoredHost = {
        id: input.name,
        name: input.name,
        kind: input.kind === 'ssh' ? 'tcp' : input.kind,
        url: canonicalUrl(endpoint),
        labels: uniqueLabels(input.labels),
        insecure: input.insecure === true,
        engineId,
        tlsSealed: input.tls ? this.deps.box.encrypt(JSON.stringify(input.tls)) : null,
      };
      await this.deps.repository.insert(stored);
      return this.deps.hosts.add(this.definitionOf(stored, endpoint));
    });
  }

  update(id: string, change: HostUpdate): Promise<EngineHost> {
    return this.serially(async () => {
      const host = requireHost(this.deps.hosts, id);
      const stored = await this.editable(host);
      const connectionChanged =
        change.kind !== undefined ||
        change.url !== undefined ||
        change.tls !== undefined ||
        change.insecure !== undefined;
      const labels = change.labels ? uniqueLabels(change.labels) : stored.labels;
      if (!connectionChanged) {
        await this.deps.repository.update({ ...stored, labels });
        return this.deps.hosts.relabel(id, labels) ?? host;
      }
      const connection = this.mergedConnection(stored, change);
      const endpoint = endpointOf(connection);
      const engineId = await this.reach(endpoint, id, change.allowDuplicate === true);
      const next: StoredHost = {
        ...stored,
        kind: connection.kind === 'ssh' ? 'tcp' : connection.kind,
        url: canonicalUrl(endpoint),
        labels,
        insecure: connection.insecure === true,
        engineId,
        tlsSealed: connection.tls ? this.deps.box.encrypt(JSON.stringify(connection.tls)) : null,
      };
      await this.deps.repository.update(next);
      return this.deps.hosts.update(this.definitionOf(next, endpoint));
    });
  }

  /** Removes a host: its streams end, its state goes; what Berth stored for it goes if `forget`. */
  remove(id: string, forget: boolean): Promise<void> {
    return this.serially(async () => {
      const host = requireHost(this.deps.hosts, id);
      await this.editable(host);
      await this.deps.repository.remove(id, forget);
      await this.deps.hosts.remove(id);
    });
  }

  private async editable(host: EngineHost): Promise<StoredHost> {
    const stored = host.removable ? await this.deps.repository.get(host.id) : undefined;
    if (!stored)
      throw AppError.conflict(
        'host_not_removable',
        `The host "${host.id}" comes from Berth's DOCKER_HOST setting: change that and restart Berth instead`,
        { host: host.id },
      );
    return stored;
  }

  /** A change's connection: what it gives over what is stored (the TLS bundle kept if unsaid). */
  private mergedConnection(stored: StoredHost, change: HostUpdate): ConnectionInput {
    const kind = change.kind ?? stored.kind;
    const insecure = change.insecure ?? (change.tls !== undefined ? false : stored.insecure);
    const tls =
      change.tls ??
      (kind === 'tcp' && !insecure && stored.tlsSealed ? this.unseal(stored.tlsSealed) : undefined);
    return { kind, url: change.url ?? stored.url, tls, insecure };
  }

  /** Tests the endpoint and refuses a second entry for one engine: the engine's ID. */
  private async reach(
    endpoint: EngineEndpoint,
    id: string,
    allowDuplicate: boolean,
  ): Promise<string> {
    const probe = await probeEngine(endpoint, this.deps.readLocalModel, this.deps.probeTimeoutMs);
    if (!probe.ok)
      throw new AppError(422, 'host_connection_failed', probe.message, { reason: probe.reason });
    if (!allowDuplicate) {
      const holder = await this.holderOf(probe.engine.id, id);
      if (holder)
        throw AppError.conflict(
          'host_duplicate',
          `The host "${holder.id}" reaches this same engine (ID ${probe.engine.id}); add it anyway with allowDuplicate: true`,
          { host: holder.id, engineId: probe.engine.id },
        );
    }
    return probe.engine.id;
  }

  /** Another host that reaches the engine of this ID (asked of a host whose ID is not known yet). */
  private async holderOf(engineId: string, except: string): Promise<EngineHost | undefined> {
    for (const host of this.deps.hosts.list()) {
      if (host.id === except) continue;
      if (host.engineId === null && host.state.status.reachable) {
        const info = await host.client.info().catch(() => null);
        if (info?.ID) host.engineId = info.ID;
      }
      if (host.engineId === engineId) return host;
    }
    return undefined;
  }

  private endpointOfStored(stored: StoredHost): EngineEndpoint {
    return endpointOf({
      kind: stored.kind,
      url: stored.url,
      insecure: stored.insecure,
      tls: stored.tlsSealed ? this.unseal(stored.tlsSealed) : undefined,
    });
  }

  private unseal(sealed: string): HostTlsInput {
    return JSON.parse(this.deps.box.decrypt(sealed)) as HostTlsInput;
  }

  private definitionOf(stored: StoredHost, endpoint: EngineEndpoint): HostDefinition {
    return {
      id: stored.id,
      name: stored.name,
      endpoint,
      labels: stored.labels,
      engineId: stored.engineId,
      removable: true,
    };
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function uniqueLabels(labels: string[] | undefined): string[] {
  return [...new Set(labels ?? [])].sort();
}
