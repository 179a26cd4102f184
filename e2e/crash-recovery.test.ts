import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SocketProxy, type Hold } from '../packages/server/src/testing/socket-proxy.js';
import {
  EngineFixtures,
  TEST_IMAGE,
  TEST_LABEL,
  testSocketPath,
} from '../packages/server/src/testing/test-engine.js';
import { waitFor } from '../packages/server/src/testing/wait-for.js';
import { call, startBerth, type BerthProcess, type CallResult } from './berth-process.js';

/**
 * Berth killed with SIGKILL at every step of a recreate, a backup that stops the volume's
 * users, and a restore: the built server runs as a process behind a SocketProxy that holds
 * the step's engine request; once it is held the process is killed, and the next start must
 * leave exactly what the user had. The engine is asked directly, never Berth.
 */
const fx = new EngineFixtures();
const dirs: string[] = [];
const SETUP_TOKEN = 'crash-recovery-setup-token';

afterAll(async () => {
  await fx.cleanup();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** One data directory and one proxy, for a Berth process and the one started after its crash. */
class BerthRun {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'berth-crash-'));
  readonly proxy = new SocketProxy(join(this.dataDir, 'engine.sock'), testSocketPath());
  private cookie = '';
  private readonly answers: Promise<unknown>[] = [];
  berth: BerthProcess | null = null;

  constructor() {
    dirs.push(this.dataDir);
  }

  /** Starts Berth and waits until it has settled the journal of the local host. */
  async boot(): Promise<void> {
    await this.start();
    await this.berth?.logged('operation journal recovered', '"host":"local"');
    if (!this.cookie) {
      const setup = await this.api('POST', '/api/setup', {
        username: 'admin',
        password: 'crash recovery admin password',
        setupToken: SETUP_TOKEN,
      });
      expect(setup.status).toBe(201);
      this.cookie = setup.cookie ?? '';
    }
  }

  private async start(): Promise<void> {
    if (!this.berth) await this.proxy.listen();
    this.berth = await startBerth({
      BERTH_DATA_DIR: this.dataDir,
      DOCKER_HOST: `unix://${this.proxy.path}`,
      BERTH_SETUP_TOKEN: SETUP_TOKEN,
      BERTH_HELPER_IMAGE: TEST_IMAGE,
    });
  }

  api(method: string, path: string, body?: unknown): Promise<CallResult> {
    if (!this.berth) throw new Error('Berth is not running');
    return call(this.berth.base, method, path, body, this.cookie);
  }

  /**
   * Starts an operation and waits until the proxy holds the engine request of its step. The
   * operation stays there (the engine has not seen that request) while the next one is set
   * up, so one kill cuts every operation short, each at another step.
   */
  async holdAt(hold: Hold, path: string, body: unknown, atStep?: () => Promise<void>) {
    const answer = this.api('POST', path, body).catch(() => null);
    this.answers.push(answer);
    const reached = await Promise.race([hold.held.then(() => true), answer.then(() => false)]);
    if (!reached) throw new Error(`${path} ended before its step: ${JSON.stringify(await answer)}`);
    await atStep?.();
  }

  /**
   * SIGKILL, then the held requests go into closed connections, then Berth starts again.
   * With `duringRecovery`, that start is killed too, once recovery reaches that request, and
   * the start after it must settle what is left.
   */
  async crashAndRestart(duringRecovery?: () => Hold): Promise<void> {
    await this.berth?.kill();
    await Promise.all(this.answers.splice(0));
    if (duringRecovery) {
      const hold = duringRecovery();
      await this.start();
      await hold.held;
      await this.berth?.kill();
      hold.release();
    }
    await this.boot();
  }

  /** The journal's rows left, and the outcome recovery audited per target. */
  recoveryRecord(): { journal: number; outcomes: Map<string, string> } {
    const db = new Database(join(this.dataDir, 'berth.db'), { readonly: true });
    try {
      const journal = db.prepare('select count(*) as n from operation_journal').get() as {
        n: number;
      };
      const rows = db
        .prepare(
          "select target, outcome, details from audit_log where action = 'operation.recover'",
        )
        .all() as { target: string; outcome: string; details: string }[];
      const outcomes = new Map(
        rows.map((r) => [
          r.target.replace(/^local\//, ''),
          `${r.outcome}:${(JSON.parse(r.details) as { outcome?: string }).outcome ?? ''}`,
        ]),
      );
      return { journal: journal.n, outcomes };
    } finally {
      db.close();
    }
  }

  environmentOf(id: string): string | undefined {
    const db = new Database(join(this.dataDir, 'berth.db'), { readonly: true });
    try {
      const row = db
        .prepare('select environment from container_environments where container_id = ?')
        .get(id) as { environment: string } | undefined;
      return row?.environment;
    } finally {
      db.close();
    }
  }

  async stop(): Promise<void> {
    this.berth?.child.kill('SIGTERM');
    await this.berth?.exit;
    await this.proxy.goDark();
  }
}

const ID = '[0-9a-f]{64}';
/** PID 1 that stops at once on SIGTERM, so stopping users costs no stop timeout. */
const SLEEPER = ['sh', '-c', 'trap "exit 0" TERM; sleep 300 & wait'];

/** An engine request by method and path (a regex source), the API version prefix left out. */
function request(method: string, path: string): (line: string) => boolean {
  const re = new RegExp(`^${method} /v[\\d.]+${path}[ ?]`);
  return (line) => re.test(line);
}

interface Container {
  Id: string;
  Names: string[];
  State: string;
}

describe('Berth killed mid-operation settles it at the next start', () => {
  it.concurrent(
    'a recreate killed at each step leaves one container under the name, as the user had it',
    async () => {
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
    },
    180_000,
  );

  it.concurrent(
    'a backup (stopping its users) or a restore killed at each step leaves the users running and no partial archive, helper or volume',
    async () => {
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
    },
    180_000,
  );
});
