import { ProxyRoute } from '@berth/contract';

/** A stored route as the API gives it, checked by the contract, for the unit tests. */
export function storedRoute(patch: Partial<ProxyRoute> = {}): ProxyRoute {
  return ProxyRoute.parse({
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
    compress: true,
    wake: null,
    enabled: true,
    source: { type: 'api' },
    applied: { state: 'applied', reason: null, at: '2026-12-03T12:00:00.000Z' },
    upstreams: [{ dial: '127.0.0.1:8080', container: 'web', activeRequests: 0, healthy: true }],
    certificates: [],
    urls: ['https://app.home.arpa'],
    cli: 'app.home.arpa {\n\ttls internal\n\treverse_proxy 127.0.0.1:8080\n}',
    createdAt: '2026-12-03T12:00:00.000Z',
    updatedAt: '2026-12-03T12:00:00.000Z',
    ...patch,
  });
}
