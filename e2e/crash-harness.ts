import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SocketProxy, type Hold } from '../packages/server/src/testing/socket-proxy.js';
import { TEST_IMAGE, testSocketPath } from '../packages/server/src/testing/test-engine.js';
import { call, startBerth, type BerthProcess, type CallResult } from './berth-process.js';

/**
 * For the crash tests: Berth as a process behind a SocketProxy that holds the engine request of
 * a step, so the process can be SIGKILLed exactly there and started again.
 */
const SETUP_TOKEN = 'crash-recovery-setup-token';

/** One data directory and one proxy, for a Berth process and the one started after its crash. */
export class BerthRun {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'berth-crash-'));
  readonly proxy = new SocketProxy(join(this.dataDir, 'engine.sock'), testSocketPath());
  private cookie = '';
  private readonly answers: Promise<unknown>[] = [];
  berth: BerthProcess | null = null;

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

  /** Stops Berth cleanly and removes the data directory. */
  async stop(): Promise<void> {
    this.berth?.child.kill('SIGTERM');
    await this.berth?.exit;
    await this.proxy.goDark();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export const ID = '[0-9a-f]{64}';
/** PID 1 that stops at once on SIGTERM, so stopping users costs no stop timeout. */
export const SLEEPER = ['sh', '-c', 'trap "exit 0" TERM; sleep 300 & wait'];

/** An engine request by method and path (a regex source), the API version prefix left out. */
export function request(method: string, path: string): (line: string) => boolean {
  const re = new RegExp(`^${method} /v[\\d.]+${path}[ ?]`);
  return (line) => re.test(line);
}

export interface Container {
  Id: string;
  Names: string[];
  State: string;
}
