import { afterAll, describe, expect, it } from 'vitest';
import type { Hold } from '../packages/server/src/testing/socket-proxy.js';
import { EngineFixtures } from '../packages/server/src/testing/test-engine.js';
import { BerthRun, ID, SLEEPER, request, type Container } from './crash-harness.js';

/**
 * Berth killed with SIGKILL at every step of a recreate: the built server runs as a process
 * behind a SocketProxy that holds the step's engine request; once every recreate is held at its
 * own step the process is killed, and the next start must leave exactly what the user had. The
 * engine is asked directly, never Berth.
 */
const fx = new EngineFixtures();
afterAll(() => fx.cleanup());

describe('Berth killed mid-recreate settles it at the next start', () => {
  it('a recreate killed at each step leaves one container under the name, as the user had it', async () => {
    interface Case {
      step: string;
      running: boolean;
      hold: (c: { id: string; name: string }) => Hold;
      outcome: 'rolled-back' | 'finished';
    }
    const run = new BerthRun();
    const originals = new Set<string>();
    // The first start of a container Berth created: the one of the recreate set up last.
    const startOfNew = (line: string): boolean => {
      const m = new RegExp(`^POST /v[\\d.]+/containers/(${ID})/start`).exec(line);
      return m !== null && !originals.has(m[1] ?? '');
    };
    const cases: Case[] = [
      {
        step: 'before the stop',
        running: true,
        outcome: 'rolled-back',
        hold: (c) => run.proxy.hold(request('POST', `/containers/${c.id}/stop`)),
      },
      {
        step: 'before the rename',
        running: true,
        outcome: 'rolled-back',
        hold: (c) => run.proxy.hold(request('POST', `/containers/${c.id}/rename`)),
      },
      {
        step: 'before the create',
        running: true,
        outcome: 'rolled-back',
        hold: (c) => run.proxy.hold(request('POST', `/containers/create\\?name=${c.name}`)),
      },
      {
        step: 'before the start',
        running: true,
        outcome: 'rolled-back',
        hold: () => run.proxy.hold(startOfNew),
      },
      {
        step: 'after the start',
        running: true,
        outcome: 'rolled-back',
        hold: () => run.proxy.hold(startOfNew, { phase: 'response' }),
      },
      {
        step: 'before removing the old',
        running: true,
        outcome: 'finished',
        hold: (c) => run.proxy.hold(request('DELETE', `/containers/${c.id}`)),
      },
      {
        step: 'after removing the old',
        running: true,
        outcome: 'finished',
        hold: (c) =>
          run.proxy.hold(request('DELETE', `/containers/${c.id}`), { phase: 'response' }),
      },
      {
        step: 'stopped, before the create',
        running: false,
        outcome: 'rolled-back',
        hold: (c) => run.proxy.hold(request('POST', `/containers/create\\?name=${c.name}`)),
      },
      {
        step: 'stopped, before the start',
        running: false,
        outcome: 'rolled-back',
        hold: () => run.proxy.hold(startOfNew),
      },
    ];
    const containers = await Promise.all(
      cases.map(async (c, i) => {
        const id = await fx.createContainer(`web${i}`, SLEEPER);
        await fx.start(id);
        if (!c.running) await fx.stop(id);
        originals.add(id);
        return { id, name: fx.name(`web${i}`) };
      }),
    );

    try {
      await run.boot();
      for (const [i, c] of cases.entries()) {
        const container = containers[i] ?? { id: '', name: '' };
        await run.holdAt(
          c.hold(container),
          `/api/hosts/local/containers/${container.name}/recreate`,
          { environment: 'staging', validateSeconds: 0 },
        );
      }
      // Recovery itself is killed once, as it renames an original back.
      await run.crashAndRestart(() =>
        run.proxy.hold(request('POST', `/containers/${containers[4]?.id ?? ''}/rename`)),
      );

      const record = run.recoveryRecord();
      expect(record.journal).toBe(0);
      for (const [i, c] of cases.entries()) {
        const { id, name } = containers[i] ?? { id: '', name: '' };
        // Exactly one container under the name (or a name like it: none set aside).
        const holders = await fx.client.listContainers({ name: [name] });
        expect(
          holders.map((h) => h.Names[0]),
          c.step,
        ).toEqual([`/${name}`]);
        const [holder] = holders as Container[];
        expect(holder?.State, c.step).toBe(c.running ? 'running' : 'exited');
        expect(record.outcomes.get(name), c.step).toBe(`success:${c.outcome}`);
        if (c.outcome === 'rolled-back') {
          expect(holder?.Id, c.step).toBe(id);
        } else {
          expect(holder?.Id, c.step).not.toBe(id);
          expect(await fx.client.listContainers({ id: [id] }), c.step).toEqual([]);
          expect(run.environmentOf(holder?.Id ?? ''), c.step).toBe('staging');
        }
      }
      // Nothing Berth created is left beside them.
      const own = (await fx.listOwnContainers())
        .map((c) => c.Names[0] ?? '')
        .filter((n) => n.startsWith('/berth-test-web'))
        .sort();
      expect(own).toEqual(containers.map((c) => `/${c.name}`).sort());
    } finally {
      await run.stop();
    }
  }, 180_000);
});
