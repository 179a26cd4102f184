import type { FleetSearchResult } from '@berth/contract';
import type { EngineHost } from '../../docker/engine-hosts.js';
import { compareText } from './fleet-scope.js';

type Result = FleetSearchResult['results'][number];

/** How well a name matches: 0 exact, 1 prefix, 2 substring (case-insensitive); null: not at all. */
export function matchRank(needle: string, name: string): number | null {
  const hay = name.toLowerCase();
  if (hay === needle) return 0;
  if (hay.startsWith(needle)) return 1;
  if (hay.includes(needle)) return 2;
  return null;
}

const KIND_ORDER: Record<Result['kind'], number> = {
  container: 0,
  stack: 1,
  image: 2,
  volume: 3,
  network: 4,
};

interface Ranked {
  rank: number;
  result: Result;
}

/**
 * Finds containers, images, volumes, networks and stacks on the given hosts from their live
 * state: the exact names first, then prefixes, then substrings; within a rank by kind, host
 * and name.
 */
export function searchHosts(hosts: EngineHost[], q: string, limit: number): Result[] {
  const needle = q.toLowerCase();
  const found: Ranked[] = [];
  const offer = (rank: number | null, result: Result): void => {
    if (rank !== null) found.push({ rank, result });
  };
  for (const host of hosts) {
    const projects = new Map<string, number>();
    for (const c of host.state.containerFacts()) {
      // A container is found by its name or by the start of its id, as routes take either.
      const byId = c.id.startsWith(needle) ? 1 : null;
      const byName = matchRank(needle, c.name);
      offer(byName === null ? byId : Math.min(byName, byId ?? byName), {
        kind: 'container',
        host: host.id,
        id: c.id,
        name: c.name,
        detail: `${c.image} · ${c.state}`,
      });
      if (c.composeProject !== null)
        projects.set(c.composeProject, (projects.get(c.composeProject) ?? 0) + 1);
    }
    for (const [project, count] of projects) {
      offer(matchRank(needle, project), {
        kind: 'stack',
        host: host.id,
        id: project,
        name: project,
        detail: `${count} container${count === 1 ? '' : 's'}`,
      });
    }
    for (const image of host.state.images()) {
      const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
      const ranks = tags.map((tag) => matchRank(needle, tag)).filter((r) => r !== null);
      const shortId = image.Id.replace(/^sha256:/, '').slice(0, 12);
      if (shortId.startsWith(needle)) ranks.push(1);
      if (ranks.length === 0) continue;
      offer(Math.min(...ranks), {
        kind: 'image',
        host: host.id,
        id: image.Id,
        name: tags[0] ?? shortId,
        detail: tags.length > 1 ? `${tags.length} tags` : shortId,
      });
    }
    for (const volume of host.state.volumes()) {
      offer(matchRank(needle, volume.Name), {
        kind: 'volume',
        host: host.id,
        id: volume.Name,
        name: volume.Name,
        detail: volume.Driver,
      });
    }
    for (const network of host.state.networks()) {
      offer(matchRank(needle, network.Name), {
        kind: 'network',
        host: host.id,
        id: network.Id,
        name: network.Name,
        detail: network.Driver,
      });
    }
  }
  found.sort(
    (a, b) =>
      a.rank - b.rank ||
      KIND_ORDER[a.result.kind] - KIND_ORDER[b.result.kind] ||
      compareText(a.result.host, b.result.host) ||
      compareText(a.result.name, b.result.name),
  );
  return found.slice(0, limit).map((r) => r.result);
}
