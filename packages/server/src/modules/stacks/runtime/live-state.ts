import type { ComposeProject } from '@berth/contract';
import { ContainersApi } from '../../../docker/containers-api.js';
import type { EngineClient } from '../../../docker/engine-client.js';
import {
  COMPOSE_CONTAINER_NUMBER,
  COMPOSE_DEPENDS_ON,
  COMPOSE_ONEOFF,
  COMPOSE_PROJECT,
  COMPOSE_SERVICE,
  projectFilter,
  STACK_FIELDS,
  STACK_HASH,
} from '../compose-labels.js';
import { sha256, stableJson } from './compose-values.js';
import { serviceImage } from './service-spec.js';

/** One container of a project on the engine, as its labels and state tell. */
export interface LiveContainer {
  id: string;
  name: string;
  service: string;
  number: number;
  state: string;
  /** From the list's status text ("Exited (0) 3 seconds ago"); null while running. */
  exitCode: number | null;
  hash: string | null;
  fields: Record<string, string> | null;
  imageId: string;
  dependsOn: string | undefined;
}

export interface LiveResource {
  id: string;
  name: string;
  /** The compose project its labels name, if any. */
  project: string | null;
  /** Berth's digests of its definition, when Berth made it (`io.berth.stack.fields`). */
  fields: Record<string, string> | null;
}

/** What the engine holds of a project, and of what the project refers to. */
export interface LiveState {
  containers: LiveContainer[];
  /** Networks and volumes by engine name: the project's own and those the project names. */
  networks: LiveResource[];
  volumes: LiveResource[];
  /** Image reference → local image id (null: not on the host). */
  images: Record<string, string | null>;
}

function parseFields(text: string | undefined): Record<string, string> | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    // A label someone else wrote: no field digests, so a plan names no fields.
    return null;
  }
}

/** Lists the project's objects by its label (one-off `run` containers left out). */
export async function readLiveState(
  client: EngineClient,
  projectName: string,
  project?: ComposeProject,
): Promise<LiveState> {
  const filter = projectFilter(projectName);
  const [containers, networks, volumes] = await Promise.all([
    client.listContainers(filter),
    client.listNetworks(),
    client.listVolumes(),
  ]);
  const api = new ContainersApi(client);
  const images: Record<string, string | null> = {};
  if (project) {
    await Promise.all(
      Object.entries(project.services).map(async ([name, service]) => {
        const ref = serviceImage(project, name, service);
        images[ref] = (await api.inspectImage(ref))?.Id ?? null;
      }),
    );
  }
  return {
    containers: containers
      .map((c) => ({ c, labels: c.Labels ?? {} }))
      .filter(({ labels }) => labels[COMPOSE_ONEOFF] !== 'True')
      .map(({ c, labels }) => {
        const exited = /^Exited \((-?\d+)\)/.exec(c.Status)?.[1];
        return {
          id: c.Id,
          name: (c.Names[0] ?? '').replace(/^\//, ''),
          service: labels[COMPOSE_SERVICE] ?? '',
          number: Number(labels[COMPOSE_CONTAINER_NUMBER] ?? '1'),
          state: c.State,
          exitCode: exited === undefined ? null : Number(exited),
          hash: labels[STACK_HASH] ?? null,
          fields: parseFields(labels[STACK_FIELDS]),
          imageId: c.ImageID,
          dependsOn: labels[COMPOSE_DEPENDS_ON],
        };
      }),
    networks: networks.map((n) => ({
      id: n.Id,
      name: n.Name,
      project: n.Labels?.[COMPOSE_PROJECT] ?? null,
      fields: parseFields(n.Labels?.[STACK_FIELDS]),
    })),
    volumes: volumes.map((v) => ({
      id: v.Name,
      name: v.Name,
      project: v.Labels?.[COMPOSE_PROJECT] ?? null,
      fields: parseFields(v.Labels?.[STACK_FIELDS]),
    })),
    images,
  };
}

/**
 * A digest of what a plan depends on: the project's containers (ids, states, hashes), the
 * networks and volumes it has or names, and its images. Another up, a stop, a removal or a
 * pulled image in between changes it.
 */
export function fingerprintOf(project: ComposeProject, live: LiveState): string {
  const names = new Set([
    ...Object.values(project.networks).map((n) => n.name),
    `${project.name}_default`,
    ...Object.values(project.volumes).map((v) => v.name),
  ]);
  const mine = (r: LiveResource): boolean => r.project === project.name || names.has(r.name);
  return sha256(
    stableJson({
      containers: live.containers
        .map((c) => [c.id, c.state, c.hash, c.imageId])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      networks: live.networks
        .filter(mine)
        .map((n) => stableJson([n.id, n.name, n.fields]))
        .sort(),
      volumes: live.volumes
        .filter(mine)
        .map((v) => stableJson([v.name, v.fields]))
        .sort(),
      images: live.images,
    }),
  );
}
