import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorBody } from '@berth/contract';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../app.js';
import { type ApiClient, setupAdmin, tokenFor } from '../../testing/api-client.js';
import { SocketProxy } from '../../testing/socket-proxy.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import {
  EngineFixtures,
  TEST_IMAGE,
  TEST_LABEL,
  testSocketPath,
} from '../../testing/test-engine.js';
import { waitFor } from '../../testing/wait-for.js';
import { type BadCase, casesFor, type RouteCases } from './contract-cases.js';

const MINIMUM_CASES = 20;
const PARALLEL = 24;

function verdict(c: BadCase, res: LightMyRequestResponse): string | null {
  const status = res.statusCode;
  if (status >= 500) return `${status} ${res.body.slice(0, 160)}`;
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = undefined;
  }
  const shaped = ErrorBody.safeParse(json);
  if (c.expect.kind === 'not-served')
    return /root:.*:0:0:|lockfileVersion|\[core\]/.test(res.body)
      ? 'served a file from outside'
      : null;
  if (c.expect.kind === 'tolerated')
    return status >= 400 && !shaped.success ? `${status} not in the error shape` : null;
  if (status < 400) return `${status}: the bad input was taken`;
  if (!shaped.success) return `${status} not in the error shape: ${res.body.slice(0, 120)}`;
  const { code, details } = shaped.data.error;
  if (status !== c.expect.status || code !== c.expect.code)
    return `${status} ${code}, want ${c.expect.status} ${c.expect.code}: ${shaped.data.error.message.slice(0, 120)}`;
  const named = ((details as { issues?: { field: string }[] } | undefined)?.issues ?? []).map(
    (i) => i.field,
  );
  const unnamed = c.expect.fields.filter((f) => !named.includes(f));
  return unnamed.length > 0
    ? `does not name ${unnamed.join(', ')} (names ${named.join(', ') || 'nothing'})`
    : null;
}

/**
 * Every route, every input, generated from the contract: bad values answer a 4xx in the one
 * error shape that names the field, never a 5xx, and change nothing — in the database, and on
 * the engine (Berth's engine traffic passes a proxy that logs every request it sends).
 */
describe('bad input on every route, generated from the contract', () => {
  const fixtures = new EngineFixtures();
  const probeFile = `/tmp/berth-probe-${fixtures.runId}`;
  const socketDir = mkdtempSync(join(tmpdir(), 'berth-contract-'));
  const proxy = new SocketProxy(join(socketDir, 'engine.sock'), testSocketPath());
  let t: TestApp;
  let admin: ApiClient;
  let generated: RouteCases[] = [];
  const known = { containers: '', networks: '', volumes: '', images: TEST_IMAGE };

  beforeAll(async () => {
    await proxy.listen();
    t = await startTestApp({
      endpoint: { transport: 'unix', socketPath: proxy.path },
      security: { apiRateLimitPerMinute: 10_000_000 },
    });
    await t.hosts.get('local')?.state.whenSynced();
    admin = await tokenFor(await setupAdmin(t.app), 'contract-suite');
    const labels = { [TEST_LABEL]: fixtures.runId };
    const container = await fixtures.createContainer('contract', ['echo', 'a line']);
    await fixtures.start(container);
    known.containers = fixtures.name('contract');
    known.networks = fixtures.name('contract-net');
    await fixtures.client.request('POST', '/networks/create', {
      body: { Name: known.networks, Labels: labels },
    });
    known.volumes = fixtures.name('contract-vol');
    await fixtures.client.request('POST', '/volumes/create', {
      body: { Name: known.volumes, Labels: labels },
    });
    await waitFor('the fixtures in the engine state', () => {
      const state = t.hosts.get('local')?.state;
      return state?.containers().some((c) => c.id === container && c.state === 'exited');
    });
    const routes = registeredRoutes(t.app).filter(
      (r) => r.method !== 'HEAD' && r.method !== 'OPTIONS',
    );
    generated = routes.map((route) =>
      casesFor(route, {
        probeFile,
        minimumCases: MINIMUM_CASES,
        knownParam: (url, name) => {
          if (name === 'host') return 'local';
          const match = /\/(containers|networks|volumes|images)\/:(id|name)(\/|$)/.exec(url);
          return match?.[2] === name ? known[match[1] as keyof typeof known] : undefined;
        },
      }),
    );
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    await proxy.goDark();
    rmSync(socketDir, { recursive: true, force: true });
  });

  /** What a bad request must not change: every table but the audit log and session times. */
  async function databaseSnapshot(): Promise<string> {
    const tables = (await t.db.introspection.getTables()).map((table) => table.name).sort();
    const rows: Record<string, unknown[]> = {};
    for (const table of tables) {
      if (table === 'audit_log' || table.startsWith('kysely_')) continue;
      const all = await t.db
        .selectFrom(table as never)
        .selectAll()
        .execute();
      rows[table] = all.map((row) =>
        Object.fromEntries(
          Object.entries(row as Record<string, unknown>).filter(
            ([k]) => !/last_(seen|used)/.test(k),
          ),
        ),
      );
    }
    return JSON.stringify(rows);
  }

  /** The engine objects this suite knows, as the engine itself describes them. */
  async function engineSnapshot(): Promise<string> {
    const client = fixtures.client;
    const [container, network, volume] = await Promise.all([
      client.request('GET', `/containers/${known.containers}/json`),
      client.request('GET', `/networks/${known.networks}`),
      client.request('GET', `/volumes/${known.volumes}`),
    ]);
    return JSON.stringify({ container, network, volume });
  }

  it('covers every route the app registered, with at least 20 refused cases each', () => {
    const uncovered = generated
      .filter((g) => g.uncovered.length > 0)
      .map((g) => `${g.route}: ${g.uncovered.join('; ')}`);
    expect(uncovered).toEqual([]);
    const withCases = generated.filter((g) => g.cases.length > 0).length;
    // Only static files (the web app, the API reference's assets) have nothing to vary.
    const withoutInput = generated.filter((g) => g.cases.length === 0).map((g) => g.route);
    expect(withoutInput.every((r) => !r.includes('/api/') || r.includes('/api/docs'))).toBe(true);
    expect(withCases).toBeGreaterThan(100);
  });

  // About 11 000 requests: more than the default minute on a busy machine.
  it(
    'answers every case with a 4xx naming the field, never a 5xx, and changes nothing',
    {
      timeout: 600_000,
    },
    async () => {
      const failures: string[] = [];
      for (const group of generated) {
        if (group.cases.length === 0) continue;
        const before = [await databaseSnapshot(), await engineSnapshot()];
        const sent = proxy.requestLines.length;
        for (let i = 0; i < group.cases.length; i += PARALLEL) {
          await Promise.all(
            group.cases.slice(i, i + PARALLEL).map(async (c) => {
              const res = await admin.request(c.method as 'GET', c.url, c.payload, c.headers);
              const wrong = verdict(c, res);
              if (wrong) failures.push(`${group.route} ${c.name}: ${wrong}`);
            }),
          );
        }
        const changing = proxy.requestLines
          .slice(sent)
          .filter((line) => !/^(GET|HEAD) /.test(line));
        if (changing.length > 0)
          failures.push(`${group.route}: sent the engine ${changing.slice(0, 3).join(', ')}`);
        const after = [await databaseSnapshot(), await engineSnapshot()];
        if (after[0] !== before[0]) failures.push(`${group.route}: changed the database`);
        if (after[1] !== before[1]) failures.push(`${group.route}: changed an engine object`);
      }
      expect(failures.slice(0, 150)).toEqual([]);
      for (const file of [probeFile, '/tmp/berth-probe']) expect(existsSync(file)).toBe(false);
    },
  );
});
