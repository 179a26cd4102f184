import type { ContainerCreated } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/free-port.js';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';

/** A container's processes (ps options too) and changes, and an edit that replaces its spec. */
describe('a container read and replaced on a real engine', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let operator: ApiClient;
  let viewer: ApiClient;
  const base = '/api/hosts/local/containers';
  const name = (n: string): string => fixtures.name(n);
  const labels = (): Record<string, string> => ({ [TEST_LABEL]: fixtures.runId });

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'oper', 'operator');
    viewer = await userSession(admin, 'viewy', 'viewer');
    const made = await operator.post(base, {
      name: name('procs'),
      image: TEST_IMAGE,
      command: ['httpd', '-f', '-p', '8080', '-h', '/var/www'],
      labels: labels(),
      stopTimeoutS: 1,
      validateSeconds: 0,
    });
    expect(made.statusCode, made.body).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('shows processes and filesystem changes', async () => {
    const top = (await viewer.get(`${base}/${name('procs')}/top`)).json<{
      titles: string[];
      processes: string[][];
    }>();
    expect(top.titles).toContain('PID');
    expect(top.processes.some((p) => p.join(' ').includes('httpd'))).toBe(true);
    const custom = (await viewer.get(`${base}/${name('procs')}/top?psArgs=-o%20pid,comm`)).json<{
      titles: string[];
    }>();
    expect(custom.titles).toEqual(['PID', 'COMMAND']);
    const bad = await viewer.get(
      `${base}/${name('procs')}/top?psArgs=${encodeURIComponent('-ef;id')}`,
    );
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('psArgs');
    const changes = (await viewer.get(`${base}/${name('procs')}/changes`)).json<{
      changes: { path: string }[];
    }>();
    expect(Array.isArray(changes.changes)).toBe(true);
  });

  it('replaces the whole spec on an edit form save: options left out are cleared, not kept', async () => {
    const port = await freePort();
    const made = await operator.post(base, {
      name: name('whole'),
      image: TEST_IMAGE,
      command: ['sleep', '600'],
      env: { KEEP: 'no' },
      ports: [{ containerPort: 80, hostPort: port }],
      labels: labels(),
      environment: 'dev',
      stopTimeoutS: 1,
      validateSeconds: 0,
    });
    expect(made.statusCode, made.body).toBe(201);
    const res = await operator.post(`${base}/${name('whole')}/recreate`, {
      replace: true,
      image: TEST_IMAGE,
      command: ['sleep', '601'],
      labels: labels(),
      stopTimeoutS: 1,
      validateSeconds: 2,
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json<ContainerCreated>().container;
    expect(after.name).toBe(name('whole'));
    expect(after.spec.command).toEqual(['sleep', '601']);
    expect(after.spec.env ?? {}).toEqual({});
    expect(after.spec.ports ?? []).toEqual([]);
    expect(after.environment).toBeNull();
    const noImage = await operator.post(`${base}/${name('whole')}/recreate`, { replace: true });
    expect(noImage.statusCode).toBe(400);
    expect(noImage.body).toContain('image');
  });
});
