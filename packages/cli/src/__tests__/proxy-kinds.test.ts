import { ProxyRoute } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { routeColumns } from '../commands/proxy-kinds.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const route = (patch: Partial<ProxyRoute> = {}): ProxyRoute =>
  ProxyRoute.parse({
    id: 'r1',
    hostnames: ['shop.test', 'www.shop.test'],
    pathPrefix: null,
    target: {
      kind: 'stack-service',
      host: 'local',
      container: null,
      stack: 'shop',
      service: 'api',
      swarmService: null,
      port: 8080,
      via: 'auto',
      address: null,
    },
    tls: 'auto',
    auth: { type: 'none' },
    headers: { request: {}, response: {} },
    compress: true,
    wake: null,
    enabled: true,
    source: { type: 'labels', host: 'local', container: null, stack: 'shop', service: 'api' },
    applied: { state: 'not_applied', reason: 'Caddy unreachable', at: null },
    upstreams: [],
    certificates: [],
    urls: ['https://shop.test'],
    cli: 'shop.test {\n}',
    createdAt: new Date(NOW - 3_600_000).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
    ...patch,
  });

const cells = (r: ProxyRoute, wide = false) =>
  Object.fromEntries(
    routeColumns.filter((c) => wide || !c.wide).map((c) => [c.header, c.value(r)]),
  );

describe('the routes table of berth get', () => {
  it('says a label route to a stack service that Caddy does not hold, and why', () => {
    expect(cells(route())).toEqual({
      HOSTNAMES: 'shop.test,www.shop.test',
      TARGET: 'local/shop/api:8080',
      TLS: 'auto',
      APPLIED: 'not applied',
      WAKE: '-',
      SOURCE: 'labels:shop/api',
    });
    expect(cells(route(), true)).toMatchObject({ REASON: 'Caddy unreachable', PATH: '/' });
  });

  it('says a wake route asleep, and a swarm service target', () => {
    const r = route({
      target: {
        ...route().target,
        kind: 'swarm-service',
        stack: null,
        service: null,
        swarmService: 'api',
      },
      source: { type: 'api' },
      wake: {
        idleMinutes: 15,
        startTimeoutSeconds: 60,
        state: 'asleep',
        lastActivityAt: null,
        sleepsAt: null,
        lastWakeAt: null,
        lastTimeToHealthyMs: null,
        lastSleepAt: null,
        sleepsToday: 1,
        wakesToday: 0,
        reason: null,
      },
    });
    expect(cells(r)).toMatchObject({
      TARGET: 'local/service:api:8080',
      WAKE: 'asleep',
      SOURCE: 'api',
    });
  });
});
