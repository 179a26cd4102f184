import type { StackServiceState } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { serviceTone, stackBadge } from './stack-state.js';

const service = (name: string, state: StackServiceState['state']): StackServiceState => ({
  name,
  state,
  running: state === 'running' ? 1 : 0,
  total: 1,
  image: null,
  containers: [],
});

describe('stack state badges', () => {
  it('counts running services of a partial stack, leaving finished one-shots out', () => {
    const badge = stackBadge({
      state: 'partial',
      services: [
        service('web', 'running'),
        service('db', 'running'),
        service('worker', 'stopped'),
        service('migrate', 'completed'),
      ],
    });
    expect(badge).toEqual({ label: '2/3 running', tone: 'warn' });
  });

  it('shows a completed one-shot as done, a failed service as bad', () => {
    expect(serviceTone('completed')).toBe('good');
    expect(serviceTone('failed')).toBe('bad');
    expect(stackBadge({ state: 'empty', services: [] }).label).toBe('not deployed');
  });
});
