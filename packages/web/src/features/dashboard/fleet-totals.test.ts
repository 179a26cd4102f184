import type { FleetHostSummary } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { hostsLabelled, labelsOf, totalsOf } from './fleet-totals.js';

const host = (
  id: string,
  labels: string[],
  reachable: boolean,
  running: number,
  updates: number,
): FleetHostSummary => ({
  id,
  name: id,
  kind: 'socket',
  labels,
  insecure: false,
  reachable,
  since: '2026-01-01T00:00:00.000Z',
  error: reachable ? null : 'connect ENOENT',
  stale: reachable ? null : { since: '2026-01-01T00:00:00.000Z', reason: 'connect ENOENT' },
  version: '27.0.0',
  latencyMs: 1,
  lastEventAt: null,
  containers: {
    total: running + 1,
    running,
    paused: 0,
    restarting: 0,
    stopped: 1,
    unhealthy: reachable ? 0 : 1,
  },
  images: 1,
  volumes: 1,
  networks: 1,
  stacks: 0,
  capacity: null,
  updates,
});

const fleet = [
  host('local', [], true, 3, 1),
  host('nas', ['home'], false, 2, 0),
  host('vps', ['cloud', 'home'], true, 5, 2),
];

describe('the dashboard label filter', () => {
  it('offers each label once, in order', () => {
    expect(labelsOf(fleet)).toEqual(['cloud', 'home']);
  });

  it('keeps the hosts carrying any chosen label, and every host when none is chosen', () => {
    expect(hostsLabelled(fleet, []).map((h) => h.id)).toEqual(['local', 'nas', 'vps']);
    expect(hostsLabelled(fleet, ['home']).map((h) => h.id)).toEqual(['nas', 'vps']);
    expect(hostsLabelled(fleet, ['cloud', 'nowhere']).map((h) => h.id)).toEqual(['vps']);
  });

  it('totals only the hosts shown, unreachable ones by their last known numbers', () => {
    expect(totalsOf(hostsLabelled(fleet, ['home']))).toEqual({
      hosts: 2,
      reachable: 1,
      containers: 9,
      running: 7,
      unhealthy: 1,
      updates: 2,
    });
  });
});
