import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Hold } from '../packages/server/src/testing/socket-proxy.js';
import {
  EngineFixtures,
  TEST_IMAGE,
  TEST_LABEL,
} from '../packages/server/src/testing/test-engine.js';
import { waitFor } from '../packages/server/src/testing/wait-for.js';
import { BerthRun, ID, SLEEPER, request } from './crash-harness.js';

/**
 * Berth killed with SIGKILL at every step of a backup that stops the volume's users, and of a
 * restore into a new volume; the next start must leave the users running and no partial
 * archive, helper container or half-restored volume. The engine and the disk are checked
 * directly.
 */
const fx = new EngineFixtures();
afterAll(() => fx.cleanup());

describe('Berth killed mid-backup or mid-restore settles it at the next start', () => {
  it('a backup (stopping its users) or a restore killed at each step leaves the users running and no partial archive, helper or volume', async () => {
    const labels = { [TEST_LABEL]: fx.runId };
    const newVolume = async (base: string): Promise<string> => {
      const name = fx.name(base);
      await fx.client.request('POST', '/volumes/create', {
        body: { Name: name, Labels: labels },
      });
      return name;
    };
    const user = async (base: string, volume: string, cmd = SLEEPER): Promise<string> => {
      const { Id } = await fx.client.request<{ Id: string }>('POST', '/containers/create', {
        query: { name: fx.name(base) },
        body: {
          Image: TEST_IMAGE,
          Cmd: cmd,
          Labels: labels,
          HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
        },
      });
      await fx.start(Id);
      return Id;
    };
    const run = new BerthRun();
    const folder = (volume: string): string => join(run.dataDir, 'backups', 'local', volume);
    const files = (volume: string): string[] =>
      existsSync(folder(volume)) ? readdirSync(folder(volume)).sort() : [];
    const archives = (volume: string) => files(volume).filter((f) => f.endsWith('.tar.gz'));
    const metas = (volume: string) => files(volume).filter((f) => f.endsWith('.json'));

    interface Case {
      step: string;
      hold: (users: string[]) => Hold;
      atStep?: (volume: string) => Promise<void>;
      outcome: 'rolled-back' | 'finished';
      big?: boolean;
    }
    const helperRequest = (method: string, path: string, users: string[]) => (line: string) =>
      request(method, `/containers/${ID}${path}`)(line) && !users.some((u) => line.includes(u));
    const cases: Case[] = [
      {
        step: 'before stopping the first user',
        outcome: 'rolled-back',
        hold: (u) => run.proxy.hold(request('POST', `/containers/(${u.join('|')})/stop`)),
      },
      {
        step: 'before stopping the second user',
        outcome: 'rolled-back',
        hold: (u) =>
          run.proxy.hold(request('POST', `/containers/(${u.join('|')})/stop`), { nth: 2 }),
      },
      {
        step: 'before the helper',
        outcome: 'rolled-back',
        hold: () => run.proxy.hold(request('POST', '/containers/create')),
      },
      {
        step: 'before the copy',
        outcome: 'rolled-back',
        hold: (u) => run.proxy.hold(helperRequest('GET', '/archive', u)),
      },
      {
        step: 'mid-copy',
        outcome: 'rolled-back',
        big: true,
        hold: (u) =>
          run.proxy.hold(helperRequest('GET', '/archive', u), {
            phase: 'response',
            afterBytes: 200_000,
          }),
        // The partial archive is on disk, without metadata, when Berth dies.
        atStep: async (volume) => {
          await waitFor('a partial archive', () =>
            archives(volume).some((f) => statSync(join(folder(volume), f)).size > 0),
          );
          expect(metas(volume)).toEqual([]);
        },
      },
      {
        step: 'after the copy, before the metadata',
        outcome: 'rolled-back',
        hold: (u) => run.proxy.hold(helperRequest('DELETE', '', u)),
      },
      {
        step: 'before starting the first user',
        outcome: 'finished',
        hold: (u) => run.proxy.hold(request('POST', `/containers/(${u.join('|')})/start`)),
      },
      {
        step: 'before starting the second user',
        outcome: 'finished',
        hold: (u) =>
          run.proxy.hold(request('POST', `/containers/(${u.join('|')})/start`), { nth: 2 }),
      },
    ];
    const setups = await Promise.all(
      cases.map(async (c, i) => {
        const volume = await newVolume(`data${i}`);
        if (c.big) {
          // Enough incompressible data that the archive is still being written when held.
          const filler = await user(`fill${i}`, volume, [
            'sh',
            '-c',
            'head -c 3000000 /dev/urandom > /data/blob',
          ]);
          await fx.client.request('POST', `/containers/${filler}/wait`);
          await fx.remove(filler);
        }
        return { volume, users: [await user(`u${i}a`, volume), await user(`u${i}b`, volume)] };
      }),
    );
    // The backup that the restores restore, made before anything is killed.
    const source = await newVolume('source');
    await user('source-writer', source, ['sh', '-c', 'echo hello > /data/greeting']);
    const restores: [string, (line: string) => boolean][] = [
      ['before the volume', request('POST', '/volumes/create')],
      ['before the helper', request('POST', '/containers/create')],
      ['mid-copy', request('PUT', `/containers/${ID}/archive`)],
    ];
    const targets = restores.map((_, i) => `${source}-restored${i}`);

    try {
      await run.boot();
      const made = await run.api('POST', `/api/hosts/local/volumes/${source}/backups`, {});
      expect(made.status, made.body).toBe(201);
      const backupId = (JSON.parse(made.body) as { id: string }).id;

      for (const [i, c] of cases.entries()) {
        const { volume, users } = setups[i] ?? { volume: '', users: [] };
        await run.holdAt(
          c.hold(users),
          `/api/hosts/local/volumes/${volume}/backups`,
          { stopContainers: true },
          c.atStep && (() => c.atStep?.(volume) ?? Promise.resolve()),
        );
      }
      for (const [i, [, match]] of restores.entries()) {
        await run.holdAt(
          run.proxy.hold(match),
          `/api/hosts/local/volumes/${source}/backups/${backupId}/restore`,
          { target: targets[i] },
        );
      }
      // Recovery itself is killed once, as it starts a user again.
      const restarting = setups[2]?.users ?? [];
      await run.crashAndRestart(() =>
        run.proxy.hold(request('POST', `/containers/(${restarting.join('|')})/start`)),
      );

      const record = run.recoveryRecord();
      expect(record.journal).toBe(0);
      for (const [i, c] of cases.entries()) {
        const { volume, users } = setups[i] ?? { volume: '', users: [] };
        for (const id of users) {
          const inspect = await fx.client.request<{ State: { Running: boolean } }>(
            'GET',
            `/containers/${id}/json`,
          );
          expect(inspect.State.Running, `${c.step}: users running`).toBe(true);
        }
        const kept = c.outcome === 'finished' ? 1 : 0;
        expect(metas(volume).length, `${c.step}: backups kept`).toBe(kept);
        expect(archives(volume).length, `${c.step}: archives`).toBe(kept);
        expect(
          files(volume).filter((f) => f.endsWith('.tmp')),
          c.step,
        ).toEqual([]);
        expect(record.outcomes.get(volume), c.step).toBe(`success:${c.outcome}`);
      }
      for (const [i, [step]] of restores.entries()) {
        const target = targets[i] ?? '';
        const found = await fx.client.request('GET', `/volumes/${target}`).then(
          () => true,
          (err: unknown) => {
            if ((err as { statusCode?: number }).statusCode === 404) return false;
            throw err;
          },
        );
        expect(found, `restore ${step}: no half-restored volume`).toBe(false);
        expect(record.outcomes.get(target), `restore ${step}`).toBe('success:rolled-back');
      }
      // No helper container is left, for any of these volumes.
      const helpers = (await fx.client.listContainers({ label: ['io.berth.helper=true'] })) as {
        Mounts: { Name?: string }[];
      }[];
      const ours = new Set([...setups.map((s) => s.volume), source, ...targets]);
      expect(helpers.filter((h) => h.Mounts.some((m) => ours.has(m.Name ?? '')))).toEqual([]);

      // And the restore itself still works after all that.
      const restored = await run.api(
        'POST',
        `/api/hosts/local/volumes/${source}/backups/${backupId}/restore`,
        { target: targets[0] },
      );
      expect(restored.status, restored.body).toBe(200);
      expect(JSON.parse(restored.body)).toMatchObject({ volume: targets[0], files: 1 });
    } finally {
      await run.stop();
      for (const target of targets)
        await fx.client.request('DELETE', `/volumes/${target}`).catch(() => undefined);
    }
  }, 180_000);
});
