import { describe, expect, it } from 'vitest';
import { describeIncident, newestFirst, timelineMarks, type Incident } from './incidents.js';

const incident = (over: Partial<Incident>): Incident => ({
  id: 'i',
  hostId: 'local',
  containerId: 'c',
  containerName: 'web',
  kind: 'exit',
  at: '2026-12-02T12:00:00Z',
  reason: '',
  exitCode: null,
  health: null,
  ...over,
});

describe('incidents', () => {
  it('names and colours what happened', () => {
    expect(describeIncident(incident({ kind: 'exit', exitCode: 137 }))).toEqual({
      label: 'exited 137',
      tone: 'bad',
    });
    expect(describeIncident(incident({ kind: 'exit', exitCode: 0 })).tone).toBe('neutral');
    expect(describeIncident(incident({ kind: 'health', health: 'unhealthy' })).tone).toBe('bad');
    expect(describeIncident(incident({ kind: 'health', health: 'healthy' })).tone).toBe('good');
    expect(describeIncident(incident({ kind: 'restart_loop' })).label).toBe('restart loop');
  });

  it('places incidents along the span, oldest first, leaving out those outside it', () => {
    const from = Date.parse('2026-12-02T12:00:00Z') / 1000;
    const marks = timelineMarks(
      [
        incident({ id: 'b', at: '2026-12-02T12:45:00Z' }),
        incident({ id: 'a', at: '2026-12-02T12:15:00Z' }),
        incident({ id: 'old', at: '2026-12-02T11:00:00Z' }),
      ],
      from,
      from + 3600,
    );
    expect(marks.map((m) => [m.incident.id, m.left])).toEqual([
      ['a', 25],
      ['b', 75],
    ]);
    expect(newestFirst(marks.map((m) => m.incident)).map((i) => i.id)).toEqual(['b', 'a']);
  });
});
