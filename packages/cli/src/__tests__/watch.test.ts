import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, ContainerList, createApiClient } from '@berth/contract';
import { call } from '../../../../e2e/berth-process.js';
import {
  EngineFixtures,
  TEST_LABEL,
  testSocketPath,
} from '../../../server/src/testing/test-engine.js';
import { cliMain, CliWorld } from './cli-harness.js';

const world = new CliWorld();
const engine = new EngineFixtures();
const mine = `${TEST_LABEL}=${engine.runId}`;
const admin = () =>
  createApiClient(api, {
    baseUrl: world.base,
    headers: () => ({ authorization: `Bearer ${world.adminToken}` }),
  });

interface Running {
  /** Resolves with stdout once it holds a line `match` accepts. */
  line(match: (line: string) => boolean): Promise<string>;
  /** Resolves when the process ends by itself. */
  ended: Promise<{ code: number | null; out: string; err: string }>;
  interrupt(): void;
}

/** `berth …` as a long-running process whose output is read as it comes (a watch). */
function start(args: string[]): Running {
  const child = spawn(process.execPath, [cliMain, ...args], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', HOME: world.home, ...world.env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiting: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const check = (): void => {
    const lines = out.split('\n');
    for (const w of [...waiting]) {
      const found = lines.find(w.match);
      if (found !== undefined) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(found);
      }
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    check();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ended = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out, err })),
  );
  return {
    line: (match) =>
      new Promise((resolve, reject) => {
        waiting.push({ match, resolve });
        check();
        void ended.then(({ code }) =>
          reject(new Error(`ended (${code}) before the line came:\n${out}\n${err}`)),
        );
      }),
    ended,
    interrupt: () => child.kill('SIGINT'),
  };
}

beforeAll(async () => {
  await world.start();
  await engine.createContainer('first', ['sleep', '300']);
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

describe('berth get -w', () => {
  it('prints the table, then the row of a container created meanwhile; Ctrl-C ends it (0)', async () => {
    const watch = start(['get', 'containers', '-w', '-l', mine]);
    await watch.line((l) => l.startsWith(engine.name('first')));
    await engine.createContainer('second', ['sleep', '300']);
    const row = await watch.line((l) => l.startsWith(engine.name('second')));
    expect(row).toMatch(/\s+created\s+/);
    watch.interrupt();
    const { code, out } = await watch.ended;
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+STATE\s+IMAGE/);
  });

  it('prints a document per change in -o json: ADDED, MODIFIED, DELETED', async () => {
    const watch = start(['get', 'ps', '-w', '-o', 'json', '-l', mine]);
    const first = await watch.line((l) => l.startsWith('{'));
    expect(ContainerList.parse(JSON.parse(first)).containers.length).toBeGreaterThan(0);
    const id = await engine.createContainer('third', ['sleep', '300']);
    const name = engine.name('third');
    const change = (type: string) => (l: string) =>
      l.startsWith('{"type":') &&
      (JSON.parse(l) as { type: string; object: { name: string } }).type === type &&
      (JSON.parse(l) as { object: { name: string } }).object.name === name;
    await watch.line(change('ADDED'));
    await engine.start(id);
    const started = await watch.line(
      (l) => change('MODIFIED')(l) && l.includes('"state":"running"'),
    );
    expect(JSON.parse(started)).toMatchObject({ object: { state: 'running' } });
    await engine.remove(id);
    await watch.line(change('DELETED'));
    watch.interrupt();
    expect((await watch.ended).code).toBe(0);
  });

  it('follows stacks: a compose project started meanwhile appears as a row', async () => {
    const compose = (project: string) => ({
      'com.docker.compose.project': project,
      'com.docker.compose.service': 'app',
      'com.docker.compose.container-number': '1',
    });
    const before = `wa${engine.runId}`;
    const project = `wp${engine.runId}`;
    await engine.createContainer('svc-a', ['sleep', '300'], compose(before));
    const watch = start(['get', 'stacks', '-w']);
    await watch.line((l) => l.startsWith(before));
    await engine.createContainer('svc-p', ['sleep', '300'], compose(project));
    const row = await watch.line((l) => l.startsWith(project));
    expect(row.split(/\s{3,}/).slice(0, 3)).toEqual([project, expect.any(String), '0/1']);
    watch.interrupt();
    expect((await watch.ended).code).toBe(0);
  });

  it('streams events as lines with get events -w', async () => {
    const watch = start(['get', 'events', '-w']);
    await watch.line((l) => l.startsWith('TIME'));
    const id = await engine.createContainer('evented', ['sleep', '300']);
    await watch.line((l) => /\scontainer\s+changed\s/.test(l) && l.includes(id.slice(0, 12)));
    watch.interrupt();
    expect((await watch.ended).code).toBe(0);
  });

  it('fails (1) with the reason when the stream closes: the host was removed', async () => {
    const added = await call(
      world.base,
      'POST',
      '/api/hosts',
      { name: 'gone', kind: 'socket', url: `unix://${testSocketPath()}`, allowDuplicate: true },
      world.adminCookie,
    );
    expect(added.status, added.body).toBe(201);
    const watch = start(['-H', 'gone', 'get', 'containers', '-w', '-l', mine]);
    await watch.line((l) => l.startsWith(engine.name('first')));
    await admin().hosts.remove({ params: { host: 'gone' } });
    const { code, err } = await watch.ended;
    expect(code).toBe(1);
    expect(err).toMatch(/^error: the events stream closed \(\d+/);
  });
});
