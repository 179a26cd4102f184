import type { ContainerSummary } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { groupByProject, listItems } from './container-groups.js';

const c = (
  name: string,
  composeProject: string | null,
  state: ContainerSummary['state'],
  health: ContainerSummary['health'] = null,
): ContainerSummary =>
  ({ id: name, name, composeProject, state, health }) as unknown as ContainerSummary;

describe('groupByProject', () => {
  it('groups by project by name, the containers in none last, with the worst state', () => {
    const groups = groupByProject([
      c('loose', null, 'running'),
      c('web-2', 'web', 'exited'),
      c('api-1', 'api', 'running', 'healthy'),
      c('web-1', 'web', 'running'),
      c('web-3', 'web', 'running', 'unhealthy'),
    ]);
    expect(groups.map((g) => [g.project, g.running, g.members.length, g.worst])).toEqual([
      // Healthy and running alike: nothing to flag.
      ['api', 1, 1, 'running'],
      ['web', 2, 3, 'unhealthy'],
      [null, 1, 1, 'running'],
    ]);
    expect(groups[1]?.members.map((m) => m.name)).toEqual(['web-2', 'web-1', 'web-3']);
  });

  it('leaves out the members of a collapsed group, keeping its header', () => {
    const all = [c('a', 'p', 'running'), c('b', null, 'paused')];
    expect(listItems(all, true, new Set(['p'])).map((i) => i.kind)).toEqual([
      'group',
      'group',
      'row',
    ]);
    expect(listItems(all, false, new Set(['p'])).map((i) => i.kind)).toEqual(['row', 'row']);
  });
});
