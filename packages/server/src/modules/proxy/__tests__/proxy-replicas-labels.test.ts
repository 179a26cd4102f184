import type { ProxyRoute } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCaddyTools,
  startTestCaddy,
  type TestCaddy,
} from '../../../../../../scripts/lib/test-caddy.mjs';
import { setupAdmin, type ApiClient } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { createRoute, startWebContainer, throughCaddy, untilAnswers } from './proxy-support.js';

const compose = (project: string, service: string, number: number) => ({
  'com.docker.compose.project': project,
  'com.docker.compose.service': service,
  'com.docker.compose.container-number': String(number),
});

describe('stack-service routes over replicas, and routes declared by labels', () => {
  let caddy: TestCaddy;
  let t: TestApp;
  let admin: ApiClient;
  const fixtures = new EngineFixtures();
  const project = `proxycore${fixtures.runId}`;
  const routes = async (): Promise<ProxyRoute[]> =>
    (await admin.get('/api/proxy/routes')).json<{ routes: ProxyRoute[] }>().routes;

  beforeAll(async () => {
    await ensureCaddyTools();
    caddy = await startTestCaddy();
    t = await startTestApp({ proxy: { admin: caddy.admin, server: null, checkEveryMs: 100 } });
    admin = await setupAdmin(t.app);
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    await caddy.stop();
  });

  it('balances over every replica of a stack service and keeps answering when one stops', async () => {
    const one = await startWebContainer(fixtures, 'replica-1', 'replica-one', {
      labels: compose(project, 'web', 1),
    });
    await startWebContainer(fixtures, 'replica-2', 'replica-two', {
      labels: compose(project, 'web', 2),
    });
    await t.hosts.get('local')?.state.settled();
    const hostname = `replicas-${fixtures.runId}.proxy.test`;
    const route = await createRoute(admin, {
      hostnames: [hostname],
      target: { host: 'local', stack: project, service: 'web', port: 80 },
      tls: 'off',
    });
    expect(route.target.kind).toBe('stack-service');
    expect(route.upstreams).toHaveLength(2);
    expect(route.cli).toContain('lb_policy round_robin');
    const seen = new Set<string>();
    await waitFor('both replicas to answer', async () => {
      const answer = await throughCaddy(caddy, hostname);
      if (answer.status === 200) seen.add(answer.body.trim());
      return seen.size === 2;
    });
    expect(Array.from(seen).sort()).toEqual(['replica-one', 'replica-two']);

    await fixtures.stop(one.id);
    await waitFor('the stopped replica out of the route', async () => {
      const [current] = (await routes()).filter((r) => r.id === route.id);
      return current?.upstreams.length === 1;
    });
    for (let i = 0; i < 6; i += 1) {
      const answer = await throughCaddy(caddy, hostname);
      expect(answer.status).toBe(200);
      expect(answer.body.trim()).toBe('replica-two');
    }
    expect((await admin.delete(`/api/proxy/routes/${route.id}`)).statusCode).toBe(204);
  });

  it('makes a route from a container’s labels, refuses to change it by the API, and drops it with the container', async () => {
    const hostname = `labelled-${fixtures.runId}.proxy.test`;
    const web = await startWebContainer(fixtures, 'labelled', 'from-labels', {
      labels: {
        'io.berth.proxy.host': `${hostname}, www.${hostname}`,
        'io.berth.proxy.port': '80',
        'io.berth.proxy.tls': 'off',
      },
    });
    const route = await waitFor('the label route', async () =>
      (await routes()).find((r) => r.hostnames.includes(hostname)),
    );
    expect(route.source).toEqual({
      type: 'labels',
      host: 'local',
      container: web.name,
      stack: null,
      service: null,
    });
    expect(route.hostnames).toEqual([hostname, `www.${hostname}`]);
    await untilAnswers(
      'the label route',
      () => throughCaddy(caddy, `www.${hostname}`),
      'from-labels',
    );
    const patch = await admin.patch(`/api/proxy/routes/${route.id}`, { tls: 'internal' });
    expect(patch.statusCode).toBe(409);
    expect(patch.body).toContain(`declared by labels on container ${web.name}`);
    expect((await admin.delete(`/api/proxy/routes/${route.id}`)).statusCode).toBe(409);
    await fixtures.remove(web.id);
    await waitFor('the label route gone', async () =>
      (await routes()).every((r) => r.id !== route.id),
    );
    expect((await throughCaddy(caddy, hostname)).body).not.toContain('from-labels');
  });

  it('makes one route for a compose service whose replicas carry the labels', async () => {
    const hostname = `stacklabels-${fixtures.runId}.proxy.test`;
    const labels = (n: number) => ({
      ...compose(`${project}l`, 'api', n),
      'io.berth.proxy.host': hostname,
      'io.berth.proxy.port': '80',
      'io.berth.proxy.tls': 'off',
      'io.berth.proxy.wake': '15',
    });
    await startWebContainer(fixtures, 'api-1', 'api-one', { labels: labels(1) });
    await startWebContainer(fixtures, 'api-2', 'api-two', { labels: labels(2) });
    const route = await waitFor('the stack label route with both replicas', async () => {
      const found = (await routes()).filter((r) => r.hostnames.includes(hostname));
      return found.length === 1 && found[0]?.upstreams.length === 2 && found[0];
    });
    expect(route.source).toMatchObject({ type: 'labels', stack: `${project}l`, service: 'api' });
    expect(route.target).toMatchObject({ kind: 'stack-service', service: 'api', port: 80 });
    await untilAnswers('the stack label route', () => throughCaddy(caddy, hostname), 'api-');
  });
});
