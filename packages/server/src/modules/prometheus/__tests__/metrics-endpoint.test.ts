import { PROMETHEUS_CONTENT_TYPE, type TokenList } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  bearer,
  setupAdmin,
  tokenFor,
  userSession,
} from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

/** Every `name{labels} value` line of an exposition text, comments left out. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not an exposition line: ${line}`);
      const labels = Object.fromEntries(
        Array.from((match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g), (m) => [
          m[1] ?? '',
          m[2] ?? '',
        ]),
      );
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });
}

describe('GET /metrics: the scrape token, and what it is answered', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let admin: ApiClient;
  let viewerSession: ApiClient;
  let viewer: ApiClient;
  let scraper: ApiClient;
  let running: string;

  const scrape = async (client: ApiClient) => {
    const res = await client.get('/metrics');
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    return { res, series: samples(res.body) };
  };

  beforeAll(async () => {
    t = await startTestApp({ extraHosts: ['elsewhere'] });
    admin = await setupAdmin(t.app);
    viewerSession = await userSession(admin, 'scrape-viewer', 'viewer');
    viewer = await tokenFor(viewerSession);
    const created = await viewerSession.post('/api/me/tokens', {
      name: 'prometheus',
      scope: 'metrics',
    });
    expect(created.statusCode).toBe(201);
    scraper = bearer(t.app, created.json<{ secret: string }>().secret);
    running = await fixtures.createContainer('scraped');
    await fixtures.start(running);
    await waitFor(
      'the container to run in the engine state',
      () => t.hosts.get('local')?.state.container(running)?.state === 'running',
    );
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('shows the scope of each token, api by default', async () => {
    const { tokens } = (await viewerSession.get('/api/me/tokens')).json<TokenList>();
    expect(tokens.map((token) => [token.name, token.scope]).sort()).toEqual([
      ['prometheus', 'metrics'],
      ['test', 'api'],
    ]);
  });

  it('answers the scrape token in the Prometheus text format', async () => {
    const { res, series } = await scrape(scraper);
    expect(res.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    const names = new Set(series.map((s) => s.name));
    for (const name of [
      'berth_process_cpu_user_seconds_total',
      'berth_process_resident_memory_bytes',
      'berth_nodejs_eventloop_lag_seconds',
      'berth_streams_open',
      'berth_websockets_open',
      'berth_engine_up',
      'berth_engine_containers',
      'berth_engine_images',
    ])
      expect(names, name).toContain(name);
  });

  it('refuses a scrape without a token, and a non-admin api token or session', async () => {
    const anonymous = await new ApiClient(t.app).get('/metrics');
    expect(anonymous.statusCode).toBe(401);
    for (const client of [viewer, viewerSession]) {
      const res = await client.get('/metrics');
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('metrics_scope_required');
    }
    const wrong = await bearer(t.app, 'berth_not-a-token').get('/metrics');
    expect(wrong.statusCode).toBe(401);
  });

  it('lets a scrape token call nothing but the scrape', async () => {
    for (const url of ['/api/me', '/api/hosts', `/api/hosts/local/containers/${running}`]) {
      const res = await scraper.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('token_scope');
    }
  });

  it("counts requests by the route's pattern, never by the URL asked for", async () => {
    expect((await viewer.get(`/api/hosts/local/containers/${running}`)).statusCode).toBe(200);
    expect(
      (await viewer.get(`/api/hosts/local/containers/${running}/logs?tail=5`)).statusCode,
    ).toBe(200);
    await viewer.get('/api/no-such-route/12345');
    const { series } = await scrape(scraper);
    const requests = series.filter((s) => s.name === 'berth_http_requests_total');
    expect(requests).toContainEqual({
      name: 'berth_http_requests_total',
      labels: { method: 'GET', route: '/api/hosts/:host/containers/:id', status: '200' },
      value: expect.any(Number) as number,
    });
    expect(requests.some((s) => s.labels.route === '/api/hosts/:host/containers/:id/logs')).toBe(
      true,
    );
    expect(requests.some((s) => s.labels.route === 'unmatched')).toBe(true);
    const routes = series
      .filter((s) => s.name.startsWith('berth_http_'))
      .map((s) => s.labels.route);
    expect(
      routes.filter((r) => r !== undefined && (r.includes(running) || /\?|12345/.test(r))),
    ).toEqual([]);
    const durations = series.filter((s) => s.name === 'berth_http_request_duration_seconds_count');
    expect(durations.some((s) => s.labels.route === '/api/hosts/:host/containers/:id')).toBe(true);
  });

  it("gives the engine's and each container's state, for the hosts the token's owner may see", async () => {
    const name = fixtures.name('scraped');
    const { series } = await scrape(scraper);
    const value = (metric: string, labels: Record<string, string>) =>
      series.find(
        (s) => s.name === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )?.value;
    expect(value('berth_engine_up', { host: 'local' })).toBe(1);
    // The container's start was an engine event: its lag and time are known.
    expect(value('berth_engine_event_lag_seconds', { host: 'local' })).toBeGreaterThanOrEqual(0);
    expect(value('berth_engine_last_event_timestamp_seconds', { host: 'local' })).toBeGreaterThan(
      0,
    );
    expect(value('berth_container_state', { host: 'local', name, state: 'running' })).toBe(1);
    expect(value('berth_container_state', { host: 'local', name, state: 'exited' })).toBe(0);
    expect(value('berth_engine_containers', { host: 'local', state: 'running' })).toBeGreaterThan(
      0,
    );
    // The viewer is granted `local` only: `elsewhere` is not in their scrape, but an admin's.
    expect(series.some((s) => s.labels.host === 'elsewhere')).toBe(false);
    const all = (await scrape(admin)).series;
    expect(
      all.find((s) => s.name === 'berth_engine_up' && s.labels.host === 'elsewhere')?.value,
    ).toBe(0);
  });
});
