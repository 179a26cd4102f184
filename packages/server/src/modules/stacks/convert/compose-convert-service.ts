import type {
  ComposeExport,
  ComposeExportQuery,
  ContainerSummary,
  ConvertWarning,
  FromRunBody,
  FromRunResult,
} from '@berth/contract';
import { AppError } from '../../../core/errors.js';
import { ContainersApi } from '../../../docker/containers-api.js';
import type { EngineHost, EngineHosts } from '../../../docker/engine-hosts.js';
import {
  DOCKER_DEFAULTS,
  type EngineDefaults,
  engineDefaults,
} from '../../containers/docker-run/docker-run-defaults.js';
import type { ContainersService } from '../../containers/containers-service.js';
import { requireHost } from '../../hosts/require-host.js';
import {
  composeDocument,
  composeYaml,
  type NamedService,
  serviceKey,
  uniqueKeys,
} from './compose-file.js';
import { composeService } from './compose-service.js';
import { composeFromRun } from './from-run.js';
import { draftFromInspect } from './inspect-draft.js';
import type { ServiceDraft } from './run-draft.js';

const SERVICE_LABEL = 'com.docker.compose.service';
const PROJECT_LABEL = 'com.docker.compose.project';
const MASK = '••••••';

interface ExportedDraft {
  container: ContainerSummary;
  draft: ServiceDraft;
  key: string;
}

export interface ExportOptions {
  /** Viewers see no environment values, as in the container detail. */
  maskSecrets?: boolean;
}

/** Converters to compose: a pasted `docker run`, and containers of a host as a compose file. */
export class ComposeConvertService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly containers: ContainersService,
  ) {}

  fromRun(hostId: string, body: FromRunBody): FromRunResult {
    requireHost(this.hosts, hostId);
    return composeFromRun(body);
  }

  async export(
    hostId: string,
    query: ComposeExportQuery,
    options: ExportOptions = {},
  ): Promise<ComposeExport> {
    const host = requireHost(this.hosts, hostId);
    const chosen = await this.choose(hostId, query);
    const api = new ContainersApi(host.client);
    const defaults = await this.defaults(host);
    const warnings: ConvertWarning[] = [];
    const drafts: ExportedDraft[] = [];
    for (const container of chosen) {
      const exported = await this.draftOf(api, hostId, container, defaults, options);
      warnings.push(...exported.draft.warnings);
      drafts.push(exported);
    }
    const keys = uniqueKeys(drafts.map((d) => d.key));
    const services: NamedService[] = drafts.map((d, i) => ({
      name: keys[i] ?? d.key,
      ...composeService(d.draft),
    }));
    const document = composeDocument(services);
    const written = document.services as Record<string, Record<string, unknown>>;
    return {
      yaml: composeYaml(document),
      services: services.map((s, i) => ({
        name: s.name,
        container: drafts[i]?.container.name ?? '',
        definition: written[s.name] ?? {},
      })),
      warnings,
    };
  }

  /** One container's draft and service key; compose's labels name the service of its containers. */
  private async draftOf(
    api: ContainersApi,
    hostId: string,
    container: ContainerSummary,
    defaults: EngineDefaults,
    options: ExportOptions,
  ): Promise<ExportedDraft> {
    const inspect = await api.find(container.id);
    if (!inspect) {
      const message = `No container "${container.name}" on ${hostId}`;
      throw AppError.notFound('container_not_found', message);
    }
    const image = await api.inspectImage(inspect.Image);
    const draft = draftFromInspect(inspect, image, defaults, container.environment);
    const labels = inspect.Config.Labels ?? {};
    const service = labels[PROJECT_LABEL] === undefined ? undefined : labels[SERVICE_LABEL];
    // The stack names a compose container after its project and service.
    if (service !== undefined) delete draft.spec.name;
    if (options.maskSecrets && draft.spec.env) {
      draft.spec.env = Object.fromEntries(Object.keys(draft.spec.env).map((k) => [k, MASK]));
      draft.warnings.unshift({
        flag: container.name,
        message: 'environment values are hidden from viewers',
      });
    }
    return { container, draft, key: serviceKey(service ?? container.name) };
  }

  /** The file name a download is saved under. */
  exportFilename(hostId: string, query: ComposeExportQuery): string {
    const what = query.environment ?? (query.containers?.includes(',') ? hostId : query.containers);
    return `compose-${what ?? hostId}.yaml`;
  }

  /** The containers asked for by name or id, then those with the tag, each once, in that order. */
  private async choose(hostId: string, query: ComposeExportQuery): Promise<ContainerSummary[]> {
    const refs = query.containers?.split(',') ?? [];
    if (refs.length === 0 && query.environment === undefined) {
      const message = 'give containers (names or ids) or an environment tag';
      throw AppError.badRequest('nothing_to_export', message, {
        issues: [{ field: 'query.containers', message }],
      });
    }
    const { containers: all } = await this.containers.list(hostId, { all: true, sort: 'name' });
    const chosen = new Map<string, ContainerSummary>();
    for (const ref of refs) {
      const { id } = await this.containers.resolve(hostId, ref);
      const found = all.find((c) => c.id === id);
      if (!found)
        throw AppError.notFound('container_not_found', `No container "${ref}" on ${hostId}`);
      chosen.set(id, found);
    }
    if (query.environment !== undefined) {
      const tagged = all.filter((c) => c.environment === query.environment);
      if (tagged.length === 0 && refs.length === 0) {
        throw AppError.notFound(
          'no_tagged_containers',
          `No container on ${hostId} has the environment tag "${query.environment}"`,
        );
      }
      for (const c of tagged) chosen.set(c.id, c);
    }
    return [...chosen.values()];
  }

  /** A socket proxy may refuse /info; docker's stock defaults stand in. */
  private defaults(host: EngineHost): Promise<EngineDefaults> {
    return host.client.info().then(
      (info) => engineDefaults(info, host.state.status.apiVersion ?? undefined),
      () => DOCKER_DEFAULTS,
    );
  }
}
