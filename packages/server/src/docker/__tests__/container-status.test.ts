import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSummary } from '@berth/contract';
import { humanDuration, parseHumanDuration, statusText } from '../container-summary.js';
import { type ApiClient, setupAdmin } from '../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { EngineFixtures } from '../../testing/test-engine.js';
import { waitFor } from '../../testing/wait-for.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (go-units wording)', () => {
  it.each([
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [1 * S, '1 second'],
    [1.9 * S, '1 second'],
    [2 * S, '2 seconds'],
    [51 * S, '51 seconds'],
    [59.9 * S, '59 seconds'],
    [60 * S, 'About a minute'],
    [119 * S, 'About a minute'],
    [2 * M, '2 minutes'],
    [3.9 * M, '3 minutes'],
    [59.9 * M, '59 minutes'],
    [60 * M, 'About an hour'],
    [89 * M, 'About an hour'],
    [91 * M, '2 hours'],
    [47 * H, '47 hours'],
    [48 * H, '2 days'],
    [13 * D, '13 days'],
    [14 * D, '2 weeks'],
    [59 * D, '8 weeks'],
    [60 * D, '2 months'],
    [729 * D, '24 months'],
    [730 * D, '2 years'],
    [3 * 365 * D, '3 years'],
  ])('%d ms reads "%s"', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('parses back to a duration that reads the same', () => {
    for (const text of [
      'Less than a second',
      '1 second',
      '51 seconds',
      'About a minute',
      '3 minutes',
      'About an hour',
      '5 hours',
      '3 days',
      '2 weeks',
      '4 months',
      '2 years',
    ]) {
      const ms = parseHumanDuration(text);
      expect(ms).not.toBeNull();
      expect(humanDuration(ms ?? -1)).toBe(text);
    }
    expect(parseHumanDuration('a while')).toBeNull();
  });
});

describe('statusText (the engine wording, derived when served)', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const clock = (startedAgo: number | null, finishedAgo: number | null, exitCode = 0) => ({
    startedAt: startedAgo === null ? null : now - startedAgo,
    finishedAt: finishedAgo === null ? null : now - finishedAgo,
    exitCode,
    restartCount: 0,
    oomKilled: false,
  });
  it.each([
    ['running', null, clock(51 * S, null), 'Up 51 seconds'],
    ['running', null, clock(3 * M, null), 'Up 3 minutes'],
    ['running', 'healthy', clock(5 * M, null), 'Up 5 minutes (healthy)'],
    ['running', 'unhealthy', clock(2 * H, null), 'Up 2 hours (unhealthy)'],
    ['running', 'starting', clock(2 * S, null), 'Up 2 seconds (health: starting)'],
    ['paused', null, clock(10 * M, null), 'Up 10 minutes (Paused)'],
    ['exited', null, clock(3 * H, 2 * H), 'Exited (0) 2 hours ago'],
    ['exited', null, clock(3 * D, 3 * D, 137), 'Exited (137) 3 days ago'],
    ['restarting', null, clock(5 * S, 3 * S, 1), 'Restarting (1) 3 seconds ago'],
    ['created', null, clock(null, null), 'Created'],
    ['removing', null, clock(M, null), 'Removal In Progress'],
    ['dead', null, clock(M, M), 'Dead'],
  ] as const)('%s (%s) reads "%s"', (state, health, c, text) => {
    expect(statusText({ state, health }, c, now)).toBe(text);
  });
});

describe('container status in the list, against the engine', () => {
  let t: TestApp;
  let admin: ApiClient;
  const fixtures = new EngineFixtures();
  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await fixtures.cleanup();
    await t.close();
  });

  const engineStatus = async (id: string): Promise<string> =>
    (await fixtures.client.listContainers({ id: [id] }))[0]?.Status ?? 'missing';
  const berthStatus = async (id: string): Promise<string> => {
    const res = await admin.get(`/api/hosts/local/containers?name=${fixtures.runId}`);
    const list = res.json<{ containers: ContainerSummary[] }>().containers;
    return list.find((c) => c.id === id)?.status ?? 'missing';
  };

  it('reads as the engine reads it, however long ago the last change was', async () => {
    const running = await fixtures.createContainer('up');
    const exited = await fixtures.createContainer('exit', ['sh', '-c', 'exit 3']);
    await fixtures.start(running);
    await fixtures.start(exited);
    // Wait (on the engine's own clock) until both have aged past their first second.
    const aged = /^(Up|Exited \(3\)) (\d+ seconds|About a minute|\d+ minutes)( ago)?$/;
    await waitFor('two seconds of uptime', async () => aged.test(await engineStatus(running)));
    await waitFor('two seconds since the exit', async () => aged.test(await engineStatus(exited)));
    for (const id of [running, exited]) {
      // Read between two engine readings, so a second boundary cannot make it flaky.
      const before = await engineStatus(id);
      const berth = await berthStatus(id);
      const after = await engineStatus(id);
      expect([before, after]).toContain(berth);
    }
  });
});
