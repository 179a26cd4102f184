import { describe, expect, it } from 'vitest';
import {
  buildCaddyRoute,
  buildTlsPolicy,
  routeCaddyfile,
  routeUrls,
  type CaddyHandler,
  type RouteDestination,
} from '../caddy-config.js';
import type { StoredProxyRoute } from '../proxy-ports.js';

const HASH = '$2b$10$abcdefghijklmnopqrstuu0123456789ABCDEFGHIJKLMNOPQRSTU';

function route(overrides: Partial<StoredProxyRoute> = {}): StoredProxyRoute {
  return {
    id: 'r1',
    hostnames: ['app.home.arpa'],
    pathPrefix: null,
    target: {
      kind: 'container',
      host: 'local',
      container: 'web',
      stack: null,
      service: null,
      swarmService: null,
      port: 80,
      via: 'auto',
      address: null,
    },
    tls: 'internal',
    auth: { type: 'none' },
    headers: { request: {}, response: {} },
    compress: false,
    wake: null,
    enabled: true,
    source: { type: 'api' },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The handlers inside the route's subroute, in order. */
function subrouteHandlers(built: ReturnType<typeof buildCaddyRoute>): CaddyHandler[] {
  const routes = built.handle[0]?.routes as { handle: CaddyHandler[] }[] | undefined;
  return routes?.[0]?.handle ?? [];
}

const one: RouteDestination = {
  upstreams: [{ dial: '127.0.0.1:32768', container: 'web' }],
  waker: null,
};
const two: RouteDestination = {
  upstreams: [
    { dial: '10.0.0.2:80', container: 'app-web-1' },
    { dial: '10.0.0.3:80', container: 'app-web-2' },
  ],
  waker: null,
};

describe('Caddy JSON of a route', () => {
  it('is a host-matched subroute to one upstream, by Berth’s @id', () => {
    expect(buildCaddyRoute(route(), one)).toMatchInlineSnapshot(`
      {
        "@id": "berth-route-r1",
        "handle": [
          {
            "handler": "subroute",
            "routes": [
              {
                "handle": [
                  {
                    "handler": "reverse_proxy",
                    "health_checks": {
                      "passive": {
                        "fail_duration": "10s",
                        "max_fails": 2,
                        "unhealthy_status": [
                          502,
                          503,
                          504,
                        ],
                      },
                    },
                    "upstreams": [
                      {
                        "dial": "127.0.0.1:32768",
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
        "match": [
          {
            "host": [
              "app.home.arpa",
            ],
          },
        ],
        "terminal": true,
      }
    `);
  });

  it('puts basic auth (base64 bcrypt, as Caddy 2.6 takes it), headers and compression before the proxy, round robin over replicas', () => {
    const built = buildCaddyRoute(
      route({
        pathPrefix: '/app',
        auth: { type: 'basic', usernames: ['alice'], hashes: { alice: HASH } },
        headers: { request: { 'X-From': 'berth' }, response: { 'X-Frame-Options': 'DENY' } },
        compress: true,
      }),
      two,
    );
    expect(built.match).toEqual([{ host: ['app.home.arpa'], path: ['/app', '/app/*'] }]);
    const handlers = subrouteHandlers(built);
    expect(handlers.map((h) => h.handler)).toEqual([
      'authentication',
      'headers',
      'encode',
      'reverse_proxy',
    ]);
    expect(handlers[0]).toMatchObject({
      providers: {
        http_basic: {
          accounts: [{ username: 'alice', password: Buffer.from(HASH).toString('base64') }],
          hash: { algorithm: 'bcrypt' },
        },
      },
    });
    expect(handlers[1]).toMatchObject({
      response: { set: { 'X-Frame-Options': ['DENY'] } },
    });
    expect(handlers[2]).toMatchObject({ encodings: { zstd: {}, gzip: {} } });
    expect(handlers[3]).toMatchObject({
      upstreams: [{ dial: '10.0.0.2:80' }, { dial: '10.0.0.3:80' }],
      load_balancing: { selection_policy: { policy: 'round_robin' } },
      headers: { request: { set: { 'X-From': ['berth'] } } },
    });
  });

  it('points at the waker with its headers while the wake side holds the route', () => {
    const built = buildCaddyRoute(route(), {
      upstreams: one.upstreams,
      waker: { dial: '127.0.0.1:9999', headers: { 'X-Berth-Wake': 'r1.secret' } },
    });
    const proxy = subrouteHandlers(built)[0];
    expect(proxy).toEqual({
      handler: 'reverse_proxy',
      upstreams: [{ dial: '127.0.0.1:9999' }],
      headers: { request: { set: { 'X-Berth-Wake': ['r1.secret'] } } },
    });
  });
});

describe('TLS policy of a route', () => {
  const settings = { acmeEmail: 'ops@example.com', acmeCa: 'https://acme.example/dir' };

  it('uses the internal CA, ACME with the settings’ account, or nothing with TLS off', () => {
    expect(buildTlsPolicy(route(), settings)).toEqual({
      '@id': 'berth-tls-r1',
      subjects: ['app.home.arpa'],
      issuers: [{ module: 'internal' }],
    });
    expect(buildTlsPolicy(route({ tls: 'auto' }), settings)).toEqual({
      '@id': 'berth-tls-r1',
      subjects: ['app.home.arpa'],
      issuers: [{ module: 'acme', email: 'ops@example.com', ca: 'https://acme.example/dir' }],
    });
    expect(
      buildTlsPolicy(route({ tls: 'auto' }), { acmeEmail: null, acmeCa: null })?.issuers,
    ).toEqual([{ module: 'acme' }]);
    expect(buildTlsPolicy(route({ tls: 'off' }), settings)).toBeNull();
  });
});

describe('the route as a Caddyfile block and its URLs', () => {
  it('reads as a user would write it', () => {
    const text = routeCaddyfile(
      route({
        hostnames: ['app.home.arpa', 'www.app.home.arpa'],
        pathPrefix: '/api',
        auth: { type: 'basic', usernames: ['alice'], hashes: { alice: HASH } },
        headers: { request: { 'X-From': 'berth' }, response: { 'X-Note': 'two words' } },
        compress: true,
      }),
      two,
    );
    expect(text).toMatchInlineSnapshot(`
      "app.home.arpa, www.app.home.arpa {
      	tls internal
      	@path path /api /api/*
      	handle @path {
      		basicauth {
      			alice JDJiJDEwJGFiY2RlZmdoaWprbG1ub3BxcnN0dXUwMTIzNDU2Nzg5QUJDREVGR0hJSktMTU5PUFFSU1RV
      		}
      		header X-Note "two words"
      		encode zstd gzip
      		reverse_proxy 10.0.0.2:80 10.0.0.3:80 {
      			lb_policy round_robin
      			fail_duration 10s
      			max_fails 2
      			header_up X-From berth
      		}
      	}
      }
      "
    `);
    expect(routeCaddyfile(route({ tls: 'off' }), one)).toContain('http://app.home.arpa {');
  });

  it('lists https:// addresses, or http:// with TLS off', () => {
    expect(routeUrls(route({ pathPrefix: '/app' }))).toEqual(['https://app.home.arpa/app']);
    expect(routeUrls(route({ tls: 'off' }))).toEqual(['http://app.home.arpa/']);
  });
});
