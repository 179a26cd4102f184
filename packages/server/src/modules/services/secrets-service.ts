import type {
  ConfigDetail,
  RotateResult,
  SecretCreate,
  SecretCreated,
  SecretRotate,
  SecretView,
} from '@berth/contract';
import { AppError, errorMessage } from '../../core/errors.js';
import { dockerCommand } from '../../core/docker-command.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { SwarmApi } from '../../docker/swarm-api.js';
import type { RawSecret, RawService } from '../../docker/swarm-types.js';
import { onManager, swarmHost } from './swarm-host.js';

export type FileKind = 'secret' | 'config';

/** Versions made by rotation share a lineage (the first version's name) and count up. */
export const LINEAGE_LABEL = 'io.berth.secret.lineage';
export const VERSION_LABEL = 'io.berth.secret.version';

const refsOf = (s: RawService, kind: FileKind) =>
  (kind === 'secret'
    ? s.Spec.TaskTemplate.ContainerSpec.Secrets
    : s.Spec.TaskTemplate.ContainerSpec.Configs) ?? [];
const idOf = (r: { SecretID?: string; ConfigID?: string }, kind: FileKind) =>
  kind === 'secret' ? r.SecretID : r.ConfigID;

function view(item: RawSecret, services: RawService[], kind: FileKind): SecretView {
  const labels = item.Spec.Labels ?? {};
  return {
    id: item.ID,
    name: item.Spec.Name,
    labels,
    createdAt: item.CreatedAt,
    updatedAt: item.UpdatedAt,
    usedBy: services
      .filter((s) => refsOf(s, kind).some((r) => idOf(r, kind) === item.ID))
      .map((s) => ({ id: s.ID, name: s.Spec.Name })),
    lineage: labels[LINEAGE_LABEL] ?? null,
    version: Number(labels[VERSION_LABEL] ?? 1) || 1,
  };
}

/** Swarm secrets and configs: a secret's value goes in and is never returned. */
export class SecretsService {
  constructor(private readonly hosts: EngineHosts) {}

  list(hostId: string, kind: FileKind): Promise<SecretView[]> {
    const { api } = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const [items, services] = await Promise.all([this.all(api, kind), api.services()]);
      return items.map((i) => view(i, services, kind)).sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  get(hostId: string, kind: FileKind, ref: string): Promise<SecretView> {
    const { api } = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () =>
      view(await this.resolve(api, hostId, kind, ref), await api.services(), kind),
    );
  }

  /** A config's detail with its data (configs are not secret). */
  getConfig(hostId: string, ref: string): Promise<ConfigDetail> {
    const { api } = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const item = await this.resolve(api, hostId, 'config', ref);
      const bytes = Buffer.from(item.Spec.Data ?? '', 'base64');
      const text = bytes.toString('utf8');
      return {
        ...view(item, await api.services(), 'config'),
        data: Buffer.from(text, 'utf8').equals(bytes) ? text : null,
        dataBase64: item.Spec.Data ?? '',
      };
    });
  }

  create(hostId: string, kind: FileKind, input: SecretCreate): Promise<SecretCreated> {
    const { api } = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const existing = await this.all(api, kind);
      if (existing.some((s) => s.Spec.Name === input.name))
        throw AppError.conflict(`${kind}_exists`, `A ${kind} named "${input.name}" exists`, {
          field: 'body.name',
        });
      const id = await this.createRaw(api, kind, input.name, input.labels ?? {}, input);
      const created = await this.resolve(api, hostId, kind, id);
      return { ...view(created, [], kind), cli: createCli(kind, input.name, input.labels ?? {}) };
    });
  }

  remove(hostId: string, kind: FileKind, ref: string): Promise<{ ok: true; cli: string }> {
    const { api } = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const item = await this.resolve(api, hostId, kind, ref);
      const users = view(item, await api.services(), kind).usedBy;
      if (users.length > 0) {
        throw AppError.conflict(
          `${kind}_in_use`,
          `${item.Spec.Name} is used by ${users.map((u) => u.name).join(', ')}: remove it from them first`,
          { services: users },
        );
      }
      await api.removeFile(`${kind}s`, item.ID);
      return { ok: true, cli: dockerCommand(kind, 'rm', item.Spec.Name) };
    });
  }

  /**
   * A new version of the secret (`<lineage>-v<N>`, labelled with its lineage and version), then
   * every service that used the old one moved to it with the same target file. Each service's
   * result is reported; the old version is removed only when asked and every service moved.
   */
  rotate(hostId: string, ref: string, input: SecretRotate): Promise<RotateResult> {
    const { api } = swarmHost(this.hosts, hostId);
    return onManager(hostId, async () => {
      const old = await this.resolve(api, hostId, 'secret', ref);
      const lineage = old.Spec.Labels?.[LINEAGE_LABEL] ?? old.Spec.Name;
      const all = await api.files('secrets');
      const version =
        Math.max(
          ...all
            .filter((s) => (s.Spec.Labels?.[LINEAGE_LABEL] ?? s.Spec.Name) === lineage)
            .map((s) => Number(s.Spec.Labels?.[VERSION_LABEL] ?? 1) || 1),
        ) + 1;
      const name = `${lineage}-v${version}`;
      const labels = {
        ...old.Spec.Labels,
        [LINEAGE_LABEL]: lineage,
        [VERSION_LABEL]: String(version),
      };
      const id = await this.createRaw(api, 'secret', name, labels, input);
      const users = (await api.services()).filter((s) =>
        refsOf(s, 'secret').some((r) => r.SecretID === old.ID),
      );
      const services: RotateResult['services'] = [];
      for (const user of users) services.push(await this.moveService(api, user, old, id, name));
      const allMoved = services.every((s) => s.ok);
      if (input.removeOld && allMoved) await api.removeFile('secrets', old.ID);
      const created = await this.resolve(api, hostId, 'secret', id);
      return {
        secret: view(created, await api.services(), 'secret'),
        previous: { id: old.ID, name: old.Spec.Name, removed: input.removeOld && allMoved },
        services,
        cli: createCli('secret', name, labels),
      };
    });
  }

  private async moveService(
    api: SwarmApi,
    user: RawService,
    old: RawSecret,
    id: string,
    name: string,
  ): Promise<RotateResult['services'][number]> {
    const spec = structuredClone(user.Spec);
    const refs = spec.TaskTemplate.ContainerSpec.Secrets ?? [];
    const targets = refs.filter((r) => r.SecretID === old.ID).map((r) => r.File.Name);
    spec.TaskTemplate.ContainerSpec.Secrets = refs.map((r) =>
      r.SecretID === old.ID ? { ...r, SecretID: id, SecretName: name } : r,
    );
    const cli = dockerCommand(
      'service',
      'update',
      '--secret-rm',
      old.Spec.Name,
      ...targets.flatMap((t) => ['--secret-add', `source=${name},target=${t}`]),
      user.Spec.Name,
    );
    try {
      await api.updateService(user.ID, user.Version.Index, spec);
      return { id: user.ID, name: user.Spec.Name, ok: true, error: null, cli };
    } catch (err) {
      return { id: user.ID, name: user.Spec.Name, ok: false, error: errorMessage(err), cli };
    }
  }

  private all(api: SwarmApi, kind: FileKind): Promise<RawSecret[]> {
    return api.files(`${kind}s`);
  }

  private async resolve(
    api: SwarmApi,
    hostId: string,
    kind: FileKind,
    ref: string,
  ): Promise<RawSecret> {
    const item = await api.file(`${kind}s`, ref);
    if (!item) throw AppError.notFound(`${kind}_not_found`, `No ${kind} "${ref}" on ${hostId}`);
    return item;
  }

  private createRaw(
    api: SwarmApi,
    kind: FileKind,
    name: string,
    labels: Record<string, string>,
    value: { value: string; encoding: 'text' | 'base64' },
  ): Promise<string> {
    const data =
      value.encoding === 'base64'
        ? value.value
        : Buffer.from(value.value, 'utf8').toString('base64');
    const spec = { Name: name, Labels: labels, Data: data };
    return api.createFile(`${kind}s`, spec);
  }
}

/** `docker secret create NAME -`: the value is read from stdin, never written on the line. */
function createCli(kind: FileKind, name: string, labels: Record<string, string>): string {
  const flags = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return dockerCommand(kind, 'create', ...flags, name, '-');
}
