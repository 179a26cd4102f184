import {
  ContainerSummary,
  ImageSummary,
  NetworkSummary,
  StackSummary,
  type EventsMessage,
  type ResourceKind,
  type VolumeSummary,
} from '@berth/contract';
import { age, bytes, type Column } from '../core/output.js';
import { FLEET_LIMIT, kind, orGone, type AnyKind } from './kinds.js';
import { idStartsWith } from './selectors.js';

const STATE_COLOUR = { running: 'green', exited: 'red', dead: 'red', paused: 'yellow' } as const;

export const containerColumns: Column<ContainerSummary>[] = [
  { header: 'NAME', value: (c) => c.name, shrink: true },
  {
    header: 'STATE',
    value: (c) => (c.health ? `${c.state} (${c.health})` : c.state),
    colour: (c) => STATE_COLOUR[c.state as keyof typeof STATE_COLOUR],
  },
  { header: 'IMAGE', value: (c) => c.image, shrink: true },
  { header: 'STATUS', value: (c) => c.status },
  {
    header: 'PORTS',
    value: (c) => publishedPorts(c.ports),
    shrink: true,
  },
  { header: 'AGE', value: (c) => age(c.created) },
  { header: 'ID', value: (c) => c.id.slice(0, 12), wide: true },
  { header: 'NETWORKS', value: (c) => c.networks.map((n) => n.name).join(','), wide: true },
  { header: 'COMMAND', value: (c) => c.command, wide: true, shrink: true },
];

/** The id a change message names when it is about this kind of object. */
const changed =
  (resource: ResourceKind) =>
  (message: EventsMessage): string | null =>
    message.type === 'change' && message.change.kind === resource ? message.change.id : null;

const containers = kind<ContainerSummary>({
  plural: 'containers',
  singular: 'container',
  aliases: ['container', 'ps'],
  summary: 'List containers (docker ps --all)',
  listKey: 'containers',
  hostScoped: true,
  columns: containerColumns,
  name: (c) => c.name,
  matches: (c, ref) => c.name === ref.replace(/^\//, '') || idStartsWith(c.id, ref),
  labels: (c) => c.labels,
  list: async (session, host) => {
    const answer = await session.client.containers.list({ params: { host } });
    return { answer, rows: answer.containers, stale: answer.stale };
  },
  fleet: async (session) => {
    const answer = await session.client.fleet.containers({ query: { limit: FLEET_LIMIT } });
    return { answer, rows: answer.containers, hosts: answer.hosts };
  },
  watch: {
    named: changed('container'),
    key: (c) => c.id,
    // The fleet's text search finds the one container by its id, as the list shows it.
    fetch: async (session, host, id) => {
      const found = await session.client.fleet.containers({ query: { host, q: id, limit: 20 } });
      const row = found.containers.find((c) => c.id === id);
      return row ? ContainerSummary.parse(row) : null;
    },
  },
});

/**
 * A container's ports as `docker ps` would, once each: the engine lists a port published on
 * every address twice (0.0.0.0 and ::), which is one publication to a reader.
 */
export function publishedPorts(ports: readonly ContainerSummary['ports'][number][]): string {
  const any = new Set(['', '0.0.0.0', '::']);
  const seen = new Set<string>();
  for (const p of ports) {
    const text =
      p.publicPort === null
        ? `${p.privatePort}/${p.protocol}`
        : `${p.hostIp && !any.has(p.hostIp) ? `${p.hostIp}:` : ''}${p.publicPort}->${p.privatePort}/${p.protocol}`;
    seen.add(text);
  }
  return [...seen].join(',');
}

/** `repo:tag` split at the tag's colon (a registry's port colon stays in the repository). */
export function splitTag(reference: string): { repository: string; tag: string } {
  const colon = reference.lastIndexOf(':');
  if (colon <= reference.lastIndexOf('/')) return { repository: reference, tag: '<none>' };
  return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

function inUse(users: readonly { state: string }[]): string {
  if (users.length === 0) return 'no';
  const running = users.filter((u) => u.state === 'running').length;
  return `yes (${users.length}${running > 0 ? `, ${running} running` : ''})`;
}

/** One row per tag, as `docker images` (json and yaml keep the API's one entry per image). */
function perTag<T extends { tags: string[] }>(image: T): T[] {
  return image.tags.length > 1 ? image.tags.map((tag) => ({ ...image, tags: [tag] })) : [image];
}

const imageColumns: Column<ImageSummary>[] = [
  {
    header: 'REPOSITORY',
    value: (i) => [...new Set(i.tags.map((t) => splitTag(t).repository))].join(',') || '<none>',
    shrink: true,
  },
  {
    header: 'TAG',
    value: (i) => i.tags.map((t) => splitTag(t).tag).join(',') || '<none>',
    shrink: true,
  },
  { header: 'ID', value: (i) => i.shortId },
  { header: 'SIZE', value: (i) => bytes(i.size) },
  { header: 'CREATED', value: (i) => age(i.created) },
  { header: 'IN USE', value: (i) => inUse(i.usedBy) },
  { header: 'DIGEST', value: (i) => i.digests[0] ?? '-', wide: true, shrink: true },
  {
    header: 'PREVIOUSLY',
    value: (i) => i.previousTags.join(',') || '-',
    wide: true,
    shrink: true,
  },
];

const images = kind<ImageSummary>({
  plural: 'images',
  singular: 'image',
  aliases: ['image'],
  summary: 'List images (docker image ls --all)',
  listKey: 'images',
  hostScoped: true,
  columns: imageColumns,
  name: (i) => i.tags[0] ?? i.shortId,
  matches: (i, ref) =>
    i.tags.includes(ref) ||
    i.tags.includes(`${ref}:latest`) ||
    i.tags.some((t) => splitTag(t).repository === ref) ||
    idStartsWith(i.id, ref),
  labels: (i) => i.labels,
  list: async (session, host) => {
    const answer = await session.client.images.list({ params: { host } });
    return { answer, rows: answer.images.flatMap(perTag), stale: answer.stale };
  },
  fleet: async (session) => {
    const answer = await session.client.fleet.images({ query: { limit: FLEET_LIMIT } });
    return { answer, rows: answer.images.flatMap(perTag), hosts: answer.hosts };
  },
  watch: {
    named: changed('image'),
    key: (i) => i.id,
    fetch: async (session, host, id) => {
      const found = await session.client.fleet.images({ query: { host, q: id, limit: 20 } });
      const row = found.images.find((i) => i.id === id);
      return row ? ImageSummary.parse(row) : null;
    },
  },
});

const networks = kind<NetworkSummary>({
  plural: 'networks',
  singular: 'network',
  aliases: ['network', 'net'],
  summary: 'List networks (docker network ls)',
  listKey: 'networks',
  hostScoped: true,
  columns: [
    { header: 'NAME', value: (n) => n.name, shrink: true },
    { header: 'DRIVER', value: (n) => n.driver },
    { header: 'SCOPE', value: (n) => n.scope },
    { header: 'SUBNET', value: (n) => n.subnets.map((s) => s.subnet).join(',') || '-' },
    { header: 'CONTAINERS', value: (n) => String(n.members.length) },
    { header: 'ID', value: (n) => n.id.slice(0, 12), wide: true },
    {
      header: 'GATEWAY',
      value: (n) => n.subnets.map((s) => s.gateway ?? '-').join(',') || '-',
      wide: true,
    },
    { header: 'INTERNAL', value: (n) => (n.internal ? 'yes' : 'no'), wide: true },
    { header: 'AGE', value: (n) => age(n.created), wide: true },
  ],
  name: (n) => n.name,
  matches: (n, ref) => n.name === ref || idStartsWith(n.id, ref),
  labels: (n) => n.labels,
  list: async (session, host) => {
    const answer = await session.client.networks.list({ params: { host } });
    return { answer, rows: answer.networks, stale: answer.stale };
  },
  watch: {
    named: changed('network'),
    key: (n) => n.id,
    fetch: async (session, host, id) => {
      const detail = await orGone(session.client.networks.get({ params: { host, id } }));
      return detail ? NetworkSummary.parse(detail) : null;
    },
  },
});

const volumes = kind<VolumeSummary>({
  plural: 'volumes',
  singular: 'volume',
  aliases: ['volume', 'vol'],
  summary: 'List volumes with their size (docker volume ls, docker system df -v)',
  listKey: 'volumes',
  hostScoped: true,
  columns: [
    { header: 'NAME', value: (v) => v.name, shrink: true },
    { header: 'DRIVER', value: (v) => v.driver },
    { header: 'SIZE', value: (v) => bytes(v.sizeBytes) },
    { header: 'IN USE', value: (v) => inUse(v.usedBy) },
    { header: 'MOUNTPOINT', value: (v) => v.mountpoint, wide: true, shrink: true },
    { header: 'AGE', value: (v) => age(v.createdAt), wide: true },
  ],
  name: (v) => v.name,
  matches: (v, ref) => v.name === ref || (ref.length >= 6 && v.name.startsWith(ref)),
  labels: (v) => v.labels,
  list: async (session, host) => {
    const answer = await session.client.volumes.list({
      params: { host },
      query: { size: 'true' },
    });
    return { answer, rows: answer.volumes, stale: answer.stale };
  },
  fleet: async (session) => {
    const answer = await session.client.fleet.volumes({ query: { limit: FLEET_LIMIT } });
    return { answer, rows: answer.volumes, hosts: answer.hosts };
  },
  watch: {
    named: changed('volume'),
    key: (v) => v.name,
    fetch: (session, host, name) => orGone(session.client.volumes.get({ params: { host, name } })),
  },
});

const STACK_COLOUR = { running: 'green', partial: 'yellow', failed: 'red' } as const;

const stacks = kind<StackSummary>({
  plural: 'stacks',
  singular: 'stack',
  aliases: ['stack'],
  summary: 'List compose stacks (docker compose ls --all)',
  listKey: 'stacks',
  hostScoped: true,
  columns: [
    { header: 'NAME', value: (s) => s.name, shrink: true },
    {
      header: 'STATE',
      value: (s) => s.state,
      colour: (s) => STACK_COLOUR[s.state as keyof typeof STACK_COLOUR],
    },
    {
      header: 'SERVICES',
      value: (s) =>
        `${s.services.filter((v) => v.state === 'running' || v.state === 'completed').length}/${s.services.length}`,
    },
    { header: 'SOURCE', value: (s) => s.source },
    { header: 'UPDATED', value: (s) => age(s.updatedAt) },
    { header: 'FOLDER', value: (s) => s.workingDir ?? '-', wide: true, shrink: true },
    { header: 'MESSAGE', value: (s) => s.message ?? '', wide: true, shrink: true },
  ],
  name: (s) => s.name,
  matches: (s, ref) => s.name === ref,
  list: async (session, host) => {
    const answer = await session.client.stacks.list({ params: { host } });
    return { answer, rows: answer.stacks, stale: null };
  },
  watch: {
    // A stack changes with its operations and with any of its containers; a container not
    // seen yet is read once to learn its compose project.
    named: async (message, { session, host, known }) => {
      if (message.type === 'stack') return message.host === host ? message.stack : null;
      if (message.type !== 'change' || message.change.kind !== 'container') return null;
      const id = message.change.id;
      const holder = known.find((s) =>
        s.services.some((v) => v.containers.some((c) => c.id === id)),
      );
      if (holder) return holder.name;
      if (message.change.action === 'remove') return null;
      const found = await session.client.fleet.containers({ query: { host, q: id, limit: 20 } });
      return found.containers.find((c) => c.id === id)?.composeProject ?? null;
    },
    key: (s) => s.name,
    fetch: async (session, host, name) => {
      const detail = await orGone(session.client.stacks.get({ params: { host, name } }));
      return detail ? StackSummary.parse(detail) : null;
    },
  },
});

export const engineKinds: AnyKind[] = [containers, images, networks, volumes, stacks];
