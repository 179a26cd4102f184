import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** One data directory and one proxy, used by a run of Berth processes one after another. */
class Lifetimes {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'berth-crash-'));
  readonly proxy = new SocketProxy(join(this.dataDir, 'engine.sock'), testSocketPath());
  private cookie = '';
  berth: BerthProcess | null = null;
  recoveries = 0;

  constructor() {
    dirs.push(this.dataDir);
  }

  /** Starts Berth and waits until it has settled the journal of the local host. */
  async boot(): Promise<void> {
    if (!this.berth) await this.proxy.listen();
    this.berth = await startBerth({
      BERTH_DATA_DIR: this.dataDir,
      DOCKER_HOST: `unix://${this.proxy.path}`,
      BERTH_SETUP_TOKEN: SETUP_TOKEN,
      BERTH_HELPER_IMAGE: TEST_IMAGE,
    });
    await this.berth.logged('operation journal recovered', '"host":"local"');
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

  api(method: string, path: string, body?: unknown): Promise<CallResult> {
    if (!this.berth) throw new Error('Berth is not running');
    return call(this.berth.base, method, path, body, this.cookie);
  }

  /**
   * Starts an operation, waits until the proxy holds the request of the step, kills Berth
   * there, lets the request go (into a closed connection: the engine never acts on it) and
   * starts Berth again.
   */
  async crashAt(hold: Hold, operation: () => Promise<CallResult>, atStep?: () => Promise<void>) {
    const answer = operation().catch(() => null);
    const reached = await Promise.race([hold.held.then(() => true), answer.then(() => false)]);
    if (!reached)
      throw new Error(`the operation ended before the step: ${JSON.stringify(await answer)}`);
    await atStep?.();
    await this.berth?.kill();
    hold.release();
    await answer;
    await this.boot();
    this.recoveries += 1;
  }

  /** What recovery wrote: the journal must be empty, one audit entry per recovery. */
  recoveryRecord(): { journal: number; outcomes: string[] } {
    const db = new Database(join(this.dataDir, 'berth.db'), { readonly: true });
    try {
      const journal = db.prepare('select count(*) as n from operation_journal').get() as {
        n: number;
      };
      const rows = db
        .prepare(
          "select outcome, details from audit_log where action = 'operation.recover' order by id",
        )
        .all() as { outcome: string; details: string }[];
      return {
        journal: journal.n,
        outcomes: rows.map(
          (r) => `${r.outcome}:${(JSON.parse(r.details) as { outcome?: string }).outcome ?? ''}`,
        ),
      };
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

/** An engine request by method and path, with the API version prefix left out. */
function request(method: string, path: string): (line: string) => boolean {
  const re = new RegExp(`^${method} /v[\\d.]+${path}[ ?]`);
  return (line) => re.test(line);
}

describe('Berth killed mid-operation settles it at the next start', () => {
  it.concurrent(
    'a recreate killed at each step leaves one container under the name, as the user had it',
    async () => {
      const name = fx.name('web');
      const original = await fx.createContainer('web');
      await fx.start(original);
      const run = new Lifetimes();
      await run.boot();
      let current = original;
      const recreate = (): Promise<CallResult> =>
        run.api('POST', `/api/hosts/local/containers/${name}/recreate`, {
          environment: 'staging',
          validateSeconds: 0,
        });
      const startOfNew = (line: string): boolean => {
        const m = new RegExp(`^POST /v[\\d.]+/containers/(${ID})/start`).exec(line);
        return m !== null && m[1] !== current;
      };

      /** Exactly one container holds the name (none aside), in the expected state. */
      const expectOne = async (step: string, state: 'running' | 'exited', outcome: string) => {
        const holders = await fx.client.listContainers({ name: [name] });
        expect(
          holders.map((c) => c.Names[0]),
          step,
        ).toEqual([`/${name}`]);
        expect(holders[0]?.State, step).toBe(state);
        const record = run.recoveryRecord();
        expect(record.journal, step).toBe(0);
        expect(record.outcomes, step).toHaveLength(run.recoveries);
        expect(record.outcomes.at(-1), step).toBe(`success:${outcome}`);
        return holders[0]?.Id ?? '';
      };
      const environmentOf = (id: string): string | undefined => {
        const db = new Database(join(run.dataDir, 'berth.db'), { readonly: true });
        try {
          const row = db
            .prepare('select environment from container_environments where container_id = ?')
            .get(id) as { environment: string } | undefined;
          return row?.environment;
        } finally {
          db.close();
        }
      };

      try {
        // Up to the new container's validation: rolled back to the original, running again.
        const rollBacks: [string, () => Hold][] = [
          ['before the stop', () => run.proxy.hold(request('POST', `/containers/${current}/stop`))],
          [
            'before the rename',
            () => run.proxy.hold(request('POST', `/containers/${current}/rename`)),
          ],
          ['before the create', () => run.proxy.hold(request('POST', '/containers/create'))],
          ['before the start', () => run.proxy.hold(startOfNew)],
          ['after the start', () => run.proxy.hold(startOfNew, { phase: 'response' })],
        ];
        for (const [step, hold] of rollBacks) {
          await run.crashAt(hold(), recreate);
          expect(await expectOne(step, 'running', 'rolled-back'), step).toBe(original);
        }

        // Once the new container has passed: finished, the original removed, the tag moved.
        const finishes: [string, () => Hold][] = [
          [
            'before removing the old',
            () => run.proxy.hold(request('DELETE', `/containers/${current}`)),
          ],
          [
            'after removing the old',
            () =>
              run.proxy.hold(request('DELETE', `/containers/${current}`), { phase: 'response' }),
          ],
        ];
        for (const [step, hold] of finishes) {
          const before = current;
          await run.crashAt(hold(), recreate);
          current = await expectOne(step, 'running', 'finished');
          expect(current, step).not.toBe(before);
          expect((await fx.client.listContainers({ id: [before] })).length, step).toBe(0);
          expect(environmentOf(current), step).toBe('staging');
        }

        // A stopped container stays stopped when its recreate is rolled back.
        await fx.stop(current);
        const stoppedRollBacks: [string, () => Hold][] = [
          [
            'stopped, before the create',
            () => run.proxy.hold(request('POST', '/containers/create')),
          ],
          ['stopped, before the start', () => run.proxy.hold(startOfNew)],
        ];
        for (const [step, hold] of stoppedRollBacks) {
          const before = current;
          await run.crashAt(hold(), recreate);
          expect(await expectOne(step, 'exited', 'rolled-back'), step).toBe(before);
        }
      } finally {
        await run.stop();
      }
    },
    180_000,
  );

  it.concurrent(
    'a backup (stopping its users) or a restore killed at each step leaves the users running and no partial archive, helper or volume',
    async () => {
      const volume = fx.name('data');
      const labels = { [TEST_LABEL]: fx.runId };
      await fx.client.request('POST', '/volumes/create', {
        body: { Name: volume, Labels: labels },
      });
      const container = async (base: string, cmd: string[]): Promise<string> => {
        const { Id } = await fx.client.request<{ Id: string }>('POST', '/containers/create', {
          query: { name: fx.name(base) },
          body: {
            Image: TEST_IMAGE,
            Cmd: cmd,
            Labels: labels,
            StopTimeout: 1,
            HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
          },
        });
        await fx.start(Id);
        return Id;
      };
      // Enough incompressible data that the archive is still being written when held.
      const filler = await container('filler', [
        'sh',
        '-c',
        'head -c 3000000 /dev/urandom > /data/blob',
      ]);
      await fx.client.request('POST', `/containers/${filler}/wait`);
      await fx.remove(filler);
      const users = [
        await container('user1', ['sleep', '300']),
        await container('user2', ['sleep', '300']),
      ];
      const userStop = request('POST', `/containers/(${users.join('|')})/stop`);
      const userStart = request('POST', `/containers/(${users.join('|')})/start`);
      const notAUser = (method: string, path: string) => (line: string) =>
        request(method, `/containers/(${ID})${path}`)(line) && !users.some((u) => line.includes(u));

      const run = new Lifetimes();
      await run.boot();
      const folder = join(run.dataDir, 'backups', 'local', volume);
      const files = (): string[] => readdirSync(folder).sort();
      const backup = (): Promise<CallResult> =>
        run.api('POST', `/api/hosts/local/volumes/${volume}/backups`, { stopContainers: true });

      const expectSettled = async (step: string, outcome: string, backups: number) => {
        for (const id of users) {
          const inspect = await fx.client.request<{ State: { Running: boolean } }>(
            'GET',
            `/containers/${id}/json`,
          );
          expect(inspect.State.Running, `${step}: users running`).toBe(true);
        }
        const helpers = await fx.client.listContainers({
          label: ['io.berth.helper=true'],
          volume: [volume],
        });
        expect(helpers, `${step}: no helper`).toEqual([]);
        const listed = files();
        const archives = listed.filter((f) => f.endsWith('.tar.gz'));
        expect(listed.filter((f) => f.endsWith('.json')).length, `${step}: backups`).toBe(backups);
        expect(
          archives.map((a) => a.replace('.tar.gz', '.json')).filter((m) => !listed.includes(m)),
          `${step}: archives without metadata`,
        ).toEqual([]);
        expect(
          listed.filter((f) => f.endsWith('.tmp')),
          step,
        ).toEqual([]);
        const record = run.recoveryRecord();
        expect(record.journal, step).toBe(0);
        expect(record.outcomes, step).toHaveLength(run.recoveries);
        expect(record.outcomes.at(-1), step).toBe(`success:${outcome}`);
      };

      try {
        const rollBacks: [string, () => Hold, (() => Promise<void>)?][] = [
          ['before stopping the first user', () => run.proxy.hold(userStop)],
          ['before stopping the second user', () => run.proxy.hold(userStop, { nth: 2 })],
          ['before the helper', () => run.proxy.hold(request('POST', '/containers/create'))],
          ['before the copy', () => run.proxy.hold(notAUser('GET', '/archive'))],
          [
            'mid-copy',
            () =>
              run.proxy.hold(notAUser('GET', '/archive'), {
                phase: 'response',
                afterBytes: 200_000,
              }),
            // The partial archive is on disk when Berth dies.
            () =>
              waitFor('a partial archive', () =>
                files().some((f) => f.endsWith('.tar.gz') && statSync(join(folder, f)).size > 0),
              ).then(() => expect(files().filter((f) => f.endsWith('.json'))).toEqual([])),
          ],
          ['after the copy, before the metadata', () => run.proxy.hold(notAUser('DELETE', ''))],
        ];
        for (const [step, hold, atStep] of rollBacks) {
          await run.crashAt(hold(), backup, atStep);
          await expectSettled(step, 'rolled-back', 0);
        }
        // Once the metadata is written the backup is kept; the users still run again.
        await run.crashAt(run.proxy.hold(userStart), backup);
        await expectSettled('before starting the first user', 'finished', 1);
        await run.crashAt(run.proxy.hold(userStart, { nth: 2 }), backup);
        await expectSettled('before starting the second user', 'finished', 2);

        // A restore into a new volume killed part way leaves no volume and no helper.
        const [meta] = files().filter((f) => f.endsWith('.json'));
        const backupId = meta?.replace('.json', '') ?? '';
        const target = `${volume}-restored`;
        const restore = (): Promise<CallResult> =>
          run.api('POST', `/api/hosts/local/volumes/${volume}/backups/${backupId}/restore`, {
            target,
          });
        const restoreSteps: [string, () => Hold][] = [
          ['before the volume', () => run.proxy.hold(request('POST', '/volumes/create'))],
          ['before the helper', () => run.proxy.hold(request('POST', '/containers/create'))],
          ['mid-copy', () => run.proxy.hold(notAUser('PUT', '/archive'))],
        ];
        for (const [step, hold] of restoreSteps) {
          await run.crashAt(hold(), restore);
          const volumes = await fx.client.request<{ Volumes: { Name: string }[] | null }>(
            'GET',
            '/volumes',
            { query: { filters: JSON.stringify({ name: [target] }) } },
          );
          expect(volumes.Volumes ?? [], `restore ${step}: no volume`).toEqual([]);
          expect(
            await fx.client.listContainers({ label: ['io.berth.helper=true'], volume: [target] }),
            `restore ${step}: no helper`,
          ).toEqual([]);
          const record = run.recoveryRecord();
          expect(record.journal).toBe(0);
          expect(record.outcomes.at(-1), step).toBe('success:rolled-back');
        }
        // And the restore itself still works.
        const restored = await restore();
        expect(restored.status, restored.body).toBe(200);
        expect(JSON.parse(restored.body)).toMatchObject({ volume: target, files: 1 });
        await fx.client.request('DELETE', `/volumes/${target}`);
      } finally {
        await run.stop();
      }
    },
    180_000,
  );
});
