import type { ContainerSummary } from '@berth/contract';

/** The containers of one compose project, or those in none (`project: null`). */
export interface ContainerGroup {
  project: string | null;
  members: ContainerSummary[];
  running: number;
  /** The least healthy state among them: what the stack needs looked at first. */
  worst: string;
}

/** How much a state needs attention, worst first. */
const SEVERITY: Record<string, number> = {
  dead: 7,
  unhealthy: 6,
  restarting: 5,
  exited: 4,
  removing: 3,
  paused: 3,
  created: 2,
  starting: 1,
  running: 0,
  healthy: 0,
};

/** A container's state as the list shows it: its health when it has one, else its state. */
export const shownState = (c: ContainerSummary): string => c.health ?? c.state;

/**
 * The containers by compose project, projects by name, the containers in no project last; each
 * group keeps the order it was given (the list's sort).
 */
export function groupByProject(containers: readonly ContainerSummary[]): ContainerGroup[] {
  const byProject = new Map<string | null, ContainerSummary[]>();
  for (const c of containers) {
    const members = byProject.get(c.composeProject) ?? [];
    members.push(c);
    byProject.set(c.composeProject, members);
  }
  return [...byProject.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([project, members]) => ({
      project,
      members,
      running: members.filter((c) => c.state === 'running').length,
      worst: members
        .map(shownState)
        .reduce((w, s) => ((SEVERITY[s] ?? 0) > (SEVERITY[w] ?? 0) ? s : w), 'running'),
    }));
}

/** One line of the virtualised list: a group's header or a container. */
export type ListItem =
  | { kind: 'group'; group: ContainerGroup; collapsed: boolean }
  | { kind: 'row'; container: ContainerSummary };

/** The lines to show: every container, or the groups with the members of open ones. */
export function listItems(
  containers: readonly ContainerSummary[],
  grouped: boolean,
  collapsed: ReadonlySet<string>,
): ListItem[] {
  if (!grouped) return containers.map((container) => ({ kind: 'row', container }));
  return groupByProject(containers).flatMap((group): ListItem[] => {
    const closed = collapsed.has(groupKey(group.project));
    return [
      { kind: 'group', group, collapsed: closed },
      ...(closed ? [] : group.members.map((container) => ({ kind: 'row' as const, container }))),
    ];
  });
}

/** A group's key in the remembered set of collapsed groups. */
export const groupKey = (project: string | null): string => project ?? '\u0000none';
