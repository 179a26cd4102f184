import type {
  ContainerDetail,
  ContainerGone,
  ContainerList,
  ContainerListQuery,
  ContainerSummary,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { ContainersApi } from '../../docker/containers-api.js';
import { isManaged, labelledEnvironment, withBerthLabels } from './berth-labels.js';
import {
  DOCKER_DEFAULTS,
  dockerRunCommand,
  engineDefaults,
} from './docker-run/docker-run-command.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { RawContainerInspect } from '../../docker/engine-types.js';
import { requireHost } from '../hosts/require-host.js';
import { specFromInspect } from './container-spec.js';
import type { EnvironmentsRepository } from './environments-repository.js';

export interface ResolvedContainer {
  host: EngineHost;
  api: ContainersApi;
  id: string;
  name: string;
}

const SORT_DEFAULT_DESC = new Set(['created']);
const MASK = '••••••';

type FileChanges = { changes: { path: string; kind: 'modified' | 'added' | 'deleted' }[] };

function maskEnvironment(inspect: RawContainerInspect): RawContainerInspect {
  const env = (inspect.Config.Env ?? []).map((entry) => {
    const eq = entry.indexOf('=');
    return eq < 0 ? entry : `${entry.slice(0, eq)}=${MASK}`;
  });
  return { ...inspect, Config: { ...inspect.Config, Env: env } };
}

/** A 404 that says, for an id that was removed, which container has its name now. */
function notFound(host: EngineHost, ref: string): AppError {
  const removed = host.state.removedName(ref);
  if (!removed)
    return AppError.notFound('container_not_found', `No container "${ref}" on ${host.id}`);
  const now = host.state.containers().find((c) => c.name === removed.name);
  const current = now ? { id: now.id, name: now.name } : null;
  const details: ContainerGone = { removed, current };
  const message = current
    ? `Container ${removed.name} (${removed.id.slice(0, 12)}) was replaced by ${current.id.slice(0, 12)}`
    : `Container ${removed.name} (${removed.id.slice(0, 12)}) was removed`;
  return AppError.notFound('container_gone', message, details);
}

/** Reading containers: lists from the live engine state, inspect, and name/prefix lookup. */
export class ContainersService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly environments: EnvironmentsRepository,
  ) {}

  /** Served from the host's engine state: no engine call per request. */
  async list(hostId: string, query: Partial<ContainerListQuery> = {}): Promise<ContainerList> {
    const host = requireHost(this.hosts, hostId);
    const tags = await this.environments.forHost(hostId);
    const digests = new Map(host.state.images().map((i) => [i.Id, i.RepoDigests?.[0] ?? null]));
    const label = query.label?.split('=');
    const chosen = host.state
      .containers()
      .map((c) => ({
        ...withBerthLabels(c, tags.get(c.id)),
        imageDigest: digests.get(c.imageId) ?? null,
      }))
      .filter((c) => query.all !== false || c.state === 'running')
      .filter((c) => !query.status || c.state === query.status)
      .filter((c) => !query.name || c.name.includes(query.name))
      .filter((c) => !query.image || c.image.includes(query.image))
      .filter((c) => !query.environment || c.environment === query.environment)
      .filter((c) => !query.project || c.composeProject === query.project)
      .filter((c) => query.managed === undefined || c.managed === query.managed)
      .filter((c) => {
        if (!label?.[0]) return true;
        const value = c.labels[label[0]];
        return label.length > 1 ? value === label.slice(1).join('=') : value !== undefined;
      });
    const sort = query.sort ?? 'created';
    const desc = query.order ? query.order === 'desc' : SORT_DEFAULT_DESC.has(sort);
    const key = (c: ContainerSummary): string => (sort === 'created' ? c.created : c[sort]);
    chosen.sort((a, b) => key(a).localeCompare(key(b)) || a.name.localeCompare(b.name));
    if (desc) chosen.reverse();
    return { containers: chosen, stale: host.state.staleness() };
  }

  /** The environment tags Berth recorded for the host's containers, by container id. */
  environmentTags(hostId: string): Promise<Map<string, string>> {
    return this.environments.forHost(hostId);
  }

  /**
   * Some of a host's containers as `list` serves them (a page of the fleet's list), from its
   * state: only those are given their status text and digest.
   */
  async summaries(hostId: string, ids: string[]): Promise<ContainerSummary[]> {
    const host = requireHost(this.hosts, hostId);
    const tags = await this.environments.forHost(hostId);
    const digests = new Map(host.state.images().map((i) => [i.Id, i.RepoDigests?.[0] ?? null]));
    return ids.flatMap((id) => {
      const c = host.state.container(id);
      if (!c) return [];
      return [
        { ...withBerthLabels(c, tags.get(c.id)), imageDigest: digests.get(c.imageId) ?? null },
      ];
    });
  }

  /** Finds a container by id, unique id prefix, or name. */
  async resolve(hostId: string, ref: string): Promise<ResolvedContainer> {
    const host = requireHost(this.hosts, hostId);
    const api = new ContainersApi(host.client);
    const known = host.state.containers();
    const exact = known.find((c) => c.id === ref || c.name === ref.replace(/^\//, ''));
    if (exact) return { host, api, id: exact.id, name: exact.name };
    if (/^[0-9a-f]{1,64}$/.test(ref)) {
      const matches = known.filter((c) => c.id.startsWith(ref));
      if (matches.length > 1) {
        throw AppError.badRequest(
          'ambiguous_id',
          `"${ref}" matches ${matches.length} containers; give more of the id`,
        );
      }
      const [only] = matches;
      if (only) return { host, api, id: only.id, name: only.name };
    }
    // Not in the state yet (an event still on its way): ask the engine itself.
    const inspect = await api.find(ref);
    if (!inspect) throw notFound(host, ref);
    return { host, api, id: inspect.Id, name: inspect.Name.replace(/^\//, '') };
  }

  /** Everything about a container. Masking hides environment values (viewers see no secrets). */
  async detail(
    hostId: string,
    ref: string,
    options: { maskSecrets?: boolean } = {},
  ): Promise<ContainerDetail> {
    const { host, api, id } = await this.resolve(hostId, ref);
    const found = await api.find(id);
    if (!found)
      throw AppError.notFound('container_not_found', `No container "${ref}" on ${hostId}`);
    const inspect = options.maskSecrets ? maskEnvironment(found) : found;
    const [image, defaults] = await Promise.all([
      api.inspectImage(inspect.Image),
      // A socket proxy may refuse /info; the container is still shown, its command then
      // assuming docker's stock defaults (so an engine-specific default may be spelled out).
      host.client.info().then(
        (info) => engineDefaults(info, host.state.status.apiVersion ?? undefined),
        () => DOCKER_DEFAULTS,
      ),
    ]);
    const label = inspect.Config.Labels ?? {};
    const state = inspect.State;
    return {
      id: inspect.Id,
      name: inspect.Name.replace(/^\//, ''),
      image: inspect.Config.Image,
      imageId: inspect.Image,
      state: state.Status,
      health: state.Health?.Status ?? null,
      startedAt: state.StartedAt.startsWith('0001') ? null : state.StartedAt,
      finishedAt: state.FinishedAt.startsWith('0001') ? null : state.FinishedAt,
      exitCode: state.ExitCode,
      oomKilled: state.OOMKilled,
      restartCount: inspect.RestartCount,
      environment: (await this.environments.get(hostId, inspect.Id)) ?? labelledEnvironment(label),
      managed: isManaged(label),
      spec: specFromInspect(inspect, image),
      cli: dockerRunCommand(inspect, image, defaults),
      inspect: { ...inspect },
    };
  }

  async top(
    hostId: string,
    ref: string,
    psArgs?: string,
  ): Promise<{ titles: string[]; processes: string[][] }> {
    const { api, id } = await this.resolve(hostId, ref);
    const top = await api.top(id, psArgs);
    return { titles: top.Titles, processes: top.Processes };
  }

  async changes(hostId: string, ref: string): Promise<FileChanges> {
    const { api, id } = await this.resolve(hostId, ref);
    const kinds = ['modified', 'added', 'deleted'] as const;
    return { changes: (await api.changes(id)).map((c) => ({ path: c.Path, kind: kinds[c.Kind] })) };
  }

  async setEnvironment(
    hostId: string,
    ref: string,
    environment: string | null,
  ): Promise<ContainerDetail> {
    const { id, host } = await this.resolve(hostId, ref);
    await this.environments.set(hostId, id, environment);
    host.state.announce('container', id);
    return this.detail(hostId, id);
  }
}
