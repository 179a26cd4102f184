import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../testing/test-app.js';
import { EngineFixtures, testEngineHost, TEST_IMAGE } from '../../../../testing/test-engine.js';
import type { ComposeRuntime } from '../compose-runtime.js';
import { down, listProject, project, runtimeFor, up } from './runtime-harness.js';

/** Debian's docker-compose (v1) against the test engine: an argv, never a shell string. */
function dockerCompose(
  cwd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: cwd,
    DOCKER_HOST: testEngineHost(),
  };
  return new Promise((resolve) => {
    execFile('docker-compose', args, { cwd, env }, (error, stdout, stderr) => {
      resolve({
        code: typeof error?.code === 'number' ? error.code : error ? -1 : 0,
        stdout,
        stderr,
      });
    });
  });
}

describe('compose runtime: the compose CLI sees a Berth stack as its own', () => {
  const fixtures = new EngineFixtures();
  const name = `rt-cli-${fixtures.runId}`;
  const dir = mkdtempSync(join(tmpdir(), 'berth-compose-cli-'));
  let t: TestApp;
  let runtime: ComposeRuntime;

  beforeAll(async () => {
    t = await startTestApp();
    runtime = runtimeFor(t);
  });
  afterAll(async () => {
    await down(runtime, name);
    await t.close();
    await fixtures.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('docker-compose -p <name> ps lists the containers Berth made, and down removes them', async () => {
    const services = {
      web: { image: TEST_IMAGE, command: ['sleep', '300'], stop_grace_period: '1s' },
      worker: { image: TEST_IMAGE, command: ['sleep', '300'], stop_grace_period: '1s' },
    };
    const { outcome } = await up(runtime, project(name, services));
    expect(outcome.ok).toBe(true);
    // v1 needs a file to know the services; the same two, as a user's folder would hold them.
    writeFileSync(
      join(dir, 'docker-compose.yml'),
      `version: "2.4"\nservices:\n  web:\n    image: ${TEST_IMAGE}\n  worker:\n    image: ${TEST_IMAGE}\n`,
    );
    const [containers] = await listProject(fixtures.client, name);
    const ps = await dockerCompose(dir, ['-p', name, 'ps', '-q']);
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout.trim().split('\n').sort()).toEqual(containers.map((c) => c.Id).sort());
    const removed = await dockerCompose(dir, ['-p', name, 'down', '-t', '1']);
    expect(removed.code, removed.stderr).toBe(0);
    const [after, networks] = await listProject(fixtures.client, name);
    expect(after).toEqual([]);
    expect(networks).toEqual([]);
  });
});
