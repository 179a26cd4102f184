import {
  HostSecurity,
  type ContainerSpec,
  type HostSecurityView,
  type PolicyViolation,
  type Role,
  type VolumeCreate,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { ContainersApi } from '../../docker/containers-api.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { requireHost } from '../hosts/require-host.js';
import { checkContainerSpec } from './container-policy.js';
import type { HostSecurityRepository } from './host-security-repository.js';
import { checkVolumeCreate } from './volume-policy.js';

const DEFAULTS = HostSecurity.parse({});

const engineSockets = (host: EngineHost): string[] =>
  host.endpoint.transport === 'unix' ? [host.endpoint.socketPath] : [];

/** 403 naming the first offending field and its setting, and listing every violation. */
function refuse(violations: PolicyViolation[]): void {
  const [first] = violations;
  if (first) {
    throw new AppError(403, 'forbidden_by_host_policy', first.message, {
      field: first.field,
      setting: first.setting,
      violations,
    });
  }
}

/**
 * Each host's security settings, and the gate every path that creates a container on a host
 * goes through (create, edit, duplicate, image update, rollback; stacks and services later).
 */
export class HostSecurityService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly repository: HostSecurityRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async get(hostId: string): Promise<HostSecurityView> {
    requireHost(this.hosts, hostId);
    const row = await this.repository.get(hostId);
    return {
      host: hostId,
      settings: row ? this.parse(row.settings) : DEFAULTS,
      updatedAt: row?.updated_at ?? null,
      updatedBy: row?.updated_by ?? null,
    };
  }

  /** The whole settings: what the body leaves out takes its default (refused). */
  async update(
    hostId: string,
    settings: HostSecurity,
    username: string | null,
  ): Promise<HostSecurityView> {
    requireHost(this.hosts, hostId);
    await this.repository.put({
      host_id: hostId,
      settings: JSON.stringify(settings),
      updated_at: new Date(this.now()).toISOString(),
      updated_by: username,
    });
    return this.get(hostId);
  }

  /**
   * Refuses (403 `forbidden_by_host_policy`) a spec that asks for what the host does not allow
   * `role`, naming the first offending field and setting, and listing all of them.
   * `inherited` is the container being recreated: what it has, kept as it is, passes.
   */
  async enforce(
    role: Role,
    host: EngineHost,
    spec: ContainerSpec,
    inherited?: ContainerSpec,
  ): Promise<void> {
    if (role === 'admin') return;
    const { settings } = await this.get(host.id);
    const api = new ContainersApi(host.client);
    const resolved = await this.withoutEngineDefaults(
      host,
      await this.resolveSharedModes(api, spec),
    );
    refuse(
      checkContainerSpec(settings, resolved, role, {
        ...(inherited
          ? {
              inherited: await this.withoutEngineDefaults(
                host,
                await this.resolveSharedModes(api, inherited),
              ),
            }
          : {}),
        engineSockets: engineSockets(host),
        hostNetworks: this.hostNetworkNames(host, [
          ...(spec.networks ?? []),
          ...(inherited?.networks ?? []),
        ]),
      }),
    );
  }

  /** The same for a volume whose driver options bind a host path or mount a host device. */
  async enforceVolume(role: Role, host: EngineHost, volume: VolumeCreate): Promise<void> {
    if (role === 'admin') return;
    const { settings } = await this.get(host.id);
    refuse(checkVolumeCreate(settings, volume, role, engineSockets(host)));
  }

  private parse(text: string): HostSecurity {
    const parsed = HostSecurity.safeParse(JSON.parse(text));
    // Stored settings that no longer fit the schema fall back to the (refusing) defaults.
    return parsed.success ? parsed.data : DEFAULTS;
  }

  /**
   * On cgroup v1 every container shares the host's cgroup namespace (the engine's default
   * there): asking for it asks for nothing more.
   */
  private async withoutEngineDefaults(
    host: EngineHost,
    spec: ContainerSpec,
  ): Promise<ContainerSpec> {
    if (spec.cgroupnsMode !== 'host') return spec;
    const info = await host.client.info();
    if (info.CgroupVersion !== '1') return spec;
    const { cgroupnsMode: _default, ...rest } = spec;
    void _default;
    return rest;
  }

  /** `host`, and whatever in `networks` the engine would resolve to its host-driver network. */
  private hostNetworkNames(host: EngineHost, networks: { name: string }[]): string[] {
    const hostDriver = host.state.networks().filter((n) => n.Driver === 'host');
    const names = networks
      .map((n) => n.name)
      .filter((name) => hostDriver.some((n) => n.Name === name || n.Id.startsWith(name)));
    return ['host', ...names];
  }

  /**
   * `container:<name>` shares that container's namespace: when that one has the host's, so
   * does this one. Resolved here so the policy sees `host`.
   */
  private async resolveSharedModes(
    api: ContainersApi,
    spec: ContainerSpec,
  ): Promise<ContainerSpec> {
    const modeOf = async (
      mode: string | undefined,
      pick: (h: { PidMode?: string; IpcMode?: string; NetworkMode?: string }) => string | undefined,
    ): Promise<string | undefined> => {
      if (!mode?.startsWith('container:')) return mode;
      // A container that does not exist shares nothing; the engine refuses the create itself.
      const other = await api.find(mode.slice('container:'.length));
      return other && pick(other.HostConfig) === 'host' ? 'host' : mode;
    };
    const [first, ...rest] = spec.networks ?? [];
    const network = first ? await modeOf(first.name, (h) => h.NetworkMode) : undefined;
    return {
      ...spec,
      ...(spec.pidMode ? { pidMode: await modeOf(spec.pidMode, (h) => h.PidMode) } : {}),
      ...(spec.ipcMode ? { ipcMode: await modeOf(spec.ipcMode, (h) => h.IpcMode) } : {}),
      ...(first && network ? { networks: [{ ...first, name: network }, ...rest] } : {}),
    };
  }
}
