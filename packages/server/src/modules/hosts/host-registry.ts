import type {
  HostCreate,
  HostSshInput,
  HostTestResult,
  HostTlsInput,
  HostUpdate,
} from '@berth/contract';
import type { SecretBox } from '../../core/crypto.js';
import { AppError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EngineEndpoint } from '../../docker/engine-endpoint.js';
import type { EngineHost, EngineHosts, HostDefinition } from '../../docker/engine-hosts.js';
import { canonicalUrl, endpointOf, invalid, type ConnectionInput } from './host-definition.js';
import { probeEngine } from './host-probe.js';
import type { HostsRepository, StoredHost } from './hosts-repository.js';
import { requireHost } from './require-host.js';

/** What the registry asks of agent hosts (the agents module). */
export interface AgentEnrolment {
  /** Refuses (409) when agents could not pair with this Berth. */
  assertCanPair(): void;
  /** Stores the agent record of a host just stored. */
  enrol(hostId: string): Promise<void>;
  /** The endpoint of an agent host: its tunnel. */
  endpointOf(hostId: string): EngineEndpoint;
}

export interface HostRegistryDeps {
  hosts: EngineHosts;
  agents: AgentEnrolment;
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
    if (input.kind === 'agent')
      throw invalid(
        'kind',
        'an agent host is tested by its agent connecting: add it and run the command shown',
      );
    const endpoint = endpointOf(input);
    const probe = await probeEngine(endpoint, this.deps.readLocalModel, this.deps.probeTimeoutMs);
    if (!probe.ok) return probe;
    const duplicate = await this.holderOf(probe.engine.id, input.name);
    return { ...probe, duplicateOf: duplicate?.id ?? null };
  }

  create(input: HostCreate): Promise<EngineHost> {
    return this.serially(async () => {
      if (this.deps.hosts.get(input.name) || (await this.deps.repository.get(input.name)))
        throw AppError.conflict('host_exists', `A host named "${input.name}" exists already`, {
          issues: [{ field: 'body.name', message: 'is taken' }],
        });
      if (input.kind === 'agent') return this.createAgentHost(input);
      if (input.join) throw invalid('join', 'only an agent host takes a join token');
      const endpoint = endpointOf(input);
      const engineId = await this.reach(endpoint, input.name, input.allowDuplicate === true);
      const stored: StoredHost = {
        id: input.name,
        name: input.name,
        kind: input.kind,
        url: canonicalUrl(endpoint),
        labels: uniqueLabels(input.labels),
        insecure: input.insecure === true,
        engineId,
        ...this.sealed(input, endpoint),
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
        change.ssh !== undefined ||
        change.insecure !== undefined;
      if (connectionChanged && (stored.kind === 'agent' || change.kind === 'agent'))
        throw invalid(
          'kind',
          stored.kind === 'agent'
            ? 'an agent host stays one: only its labels change (re-pair it with a new join token, or remove it)'
            : 'a host does not become an agent host: add one of kind agent',
        );
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
        kind: connection.kind,
        url: canonicalUrl(endpoint),
        labels,
        insecure: connection.insecure === true,
        engineId,
        ...this.sealed(connection, endpoint),
      };
      await this.deps.repository.update(next);
      return this.deps.hosts.update(this.definitionOf(next, endpoint));
    });
  }

  /** A host as it is now, or a 404. */
  hostOf(id: string): EngineHost {
    return requireHost(this.deps.hosts, id);
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

  /**
   * An agent host: stored with its agent record (no engine to test yet: its agent dials in
   * after pairing with the join token the caller makes next).
   */
  private async createAgentHost(input: HostCreate): Promise<EngineHost> {
    for (const field of ['url', 'tls', 'ssh', 'insecure', 'allowDuplicate'] as const)
      if (input[field] !== undefined)
        throw invalid(field, 'an agent host takes none: its agent dials Berth');
    this.deps.agents.assertCanPair();
    const stored: StoredHost = {
      id: input.name,
      name: input.name,
      kind: 'agent',
      url: `agent://${input.name}`,
      labels: uniqueLabels(input.labels),
      insecure: false,
      engineId: null,
      tlsSealed: null,
      sshHostKey: null,
      sshKeySealed: null,
    };
    await this.deps.repository.insert(stored);
    try {
      await this.deps.agents.enrol(stored.id);
    } catch (err) {
      await this.deps.repository.remove(stored.id, false);
      throw err;
    }
    return this.deps.hosts.add(this.definitionOf(stored, this.deps.agents.endpointOf(stored.id)));
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

  /** What is stored of a connection: TLS and SSH key material sealed, the host key pinned. */
  private sealed(
    connection: ConnectionInput,
    endpoint: EngineEndpoint,
  ): Pick<StoredHost, 'tlsSealed' | 'sshHostKey' | 'sshKeySealed'> {
    const { box } = this.deps;
    const key = connection.ssh?.privateKey;
    const bundle: SshKeyBundle | null =
      key === undefined ? null : { privateKey: key, passphrase: connection.ssh?.passphrase };
    return {
      tlsSealed: connection.tls ? box.encrypt(JSON.stringify(connection.tls)) : null,
      sshHostKey: endpoint.transport === 'ssh' ? endpoint.hostKey : null,
      sshKeySealed:
        endpoint.transport === 'ssh' && bundle ? box.encrypt(JSON.stringify(bundle)) : null,
    };
  }

  /**
   * A change's connection: what it gives over what is stored (the TLS bundle, the SSH key and
   * the pinned host key kept if unsaid; a new private key brings its own passphrase or none).
   */
  private mergedConnection(stored: StoredHost, change: HostUpdate): ConnectionInput {
    const kind = change.kind ?? stored.kind;
    const insecure = change.insecure ?? (change.tls !== undefined ? false : stored.insecure);
    const tls =
      change.tls ??
      (kind === 'tcp' && !insecure && stored.tlsSealed ? this.unseal(stored.tlsSealed) : undefined);
    return {
      kind,
      url: change.url ?? stored.url,
      tls,
      insecure,
      ssh: this.mergedSsh(kind, stored, change.ssh),
    };
  }

  private mergedSsh(
    kind: StoredHost['kind'],
    stored: StoredHost,
    change: HostSshInput | undefined,
  ): HostSshInput | undefined {
    if (kind !== 'ssh') return change;
    const kept = stored.kind === 'ssh' ? this.storedSsh(stored) : {};
    if (!change) return kept;
    const key =
      change.privateKey !== undefined
        ? { privateKey: change.privateKey, passphrase: change.passphrase }
        : { privateKey: kept.privateKey, passphrase: change.passphrase ?? kept.passphrase };
    return { ...key, hostKey: change.hostKey ?? kept.hostKey };
  }

  private storedSsh(stored: StoredHost): HostSshInput {
    const bundle = stored.sshKeySealed
      ? (JSON.parse(this.deps.box.decrypt(stored.sshKeySealed)) as SshKeyBundle)
      : null;
    return {
      privateKey: bundle?.privateKey,
      passphrase: bundle?.passphrase,
      hostKey: stored.sshHostKey ?? undefined,
    };
  }

  /** Tests the endpoint and refuses a second entry for one engine: the engine's ID. */
  private async reach(
    endpoint: EngineEndpoint,
    id: string,
    allowDuplicate: boolean,
  ): Promise<string> {
    const probe = await probeEngine(endpoint, this.deps.readLocalModel, this.deps.probeTimeoutMs);
    if (!probe.ok)
      throw new AppError(422, 'host_connection_failed', probe.message, {
        reason: probe.reason,
        ...(probe.hostKey ? { hostKey: probe.hostKey } : {}),
      });
    // An SSH host is added only with the key its admin confirmed: the one a test showed.
    if (endpoint.transport === 'ssh' && endpoint.hostKey === null) {
      const seen = probe.hostKey;
      throw new AppError(
        422,
        'host_connection_failed',
        `Confirm the host key of ${canonicalUrl(endpoint)}: it shows ${seen?.fingerprint ?? 'no key'} (${seen?.algorithm ?? '?'}); add it with ssh.hostKey set to that fingerprint once you checked it (ssh-keygen -lf /etc/ssh/ssh_host_${seen?.algorithm.replace(/^ssh-/, '') ?? 'ed25519'}_key.pub on the remote)`,
        { reason: 'host_key_unconfirmed', ...(seen ? { hostKey: seen } : {}) },
      );
    }
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
    if (stored.kind === 'agent') return this.deps.agents.endpointOf(stored.id);
    return endpointOf({
      kind: stored.kind,
      url: stored.url,
      insecure: stored.insecure,
      tls: stored.tlsSealed ? this.unseal(stored.tlsSealed) : undefined,
      ssh: stored.kind === 'ssh' ? this.storedSsh(stored) : undefined,
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

/** What is sealed of an SSH identity. */
interface SshKeyBundle {
  privateKey: string;
  passphrase?: string | undefined;
}

function uniqueLabels(labels: string[] | undefined): string[] {
  return [...new Set(labels ?? [])].sort();
}
