import { describe, expect, it } from 'vitest';
import { withRouteChange } from '../../api/proxy.js';
import { storedRoute } from './route-fixture.js';
import {
  certificateText,
  routesOfContainer,
  routesOfStack,
  sourceText,
  targetText,
  wakeFacts,
} from './proxy-view.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const DAY = 86_400_000;
const at = (ms: number): string => new Date(NOW + ms).toISOString();

describe('the proxy page’s words', () => {
  it('says a certificate’s state and expiry', () => {
    const cert = {
      hostname: 'app.test',
      issuer: 'Caddy Local Authority',
      notBefore: at(-DAY),
      notAfter: at(62 * DAY),
      state: 'valid' as const,
      reason: null,
    };
    expect(certificateText(cert, NOW)).toEqual({ text: 'expires in 62 days', tone: 'good' });
    expect(certificateText({ ...cert, state: 'expired', notAfter: at(-3 * DAY) }, NOW)).toEqual({
      text: 'expired 3 days ago',
      tone: 'bad',
    });
    expect(certificateText({ ...cert, state: 'none', notAfter: null }, NOW).text).toBe(
      'no certificate yet',
    );
  });

  it('says when a wake route sleeps, how its last wake went, and its sleeps today', () => {
    const wake = {
      idleMinutes: 15,
      startTimeoutSeconds: 60,
      state: 'awake' as const,
      lastActivityAt: at(-60_000),
      sleepsAt: at(4 * 60_000),
      lastWakeAt: at(-2 * 3_600_000),
      lastTimeToHealthyMs: 1400,
      lastSleepAt: null,
      sleepsToday: 3,
      wakesToday: 4,
      reason: null,
    };
    expect(wakeFacts(wake, NOW)).toEqual([
      'sleeps in 4 minutes',
      'woke 2 hours ago, healthy in 1.4 s',
      '3 sleeps today',
    ]);
    expect(
      wakeFacts(
        {
          ...wake,
          state: 'asleep',
          lastSleepAt: at(-5 * 60_000),
          sleepsToday: 1,
          reason: 'timeout',
        },
        NOW,
      ),
    ).toEqual([
      'asleep since 5 minutes ago',
      'woke 2 hours ago, healthy in 1.4 s',
      '1 sleep today',
      'last wake failed: timeout',
    ]);
  });

  it('names targets and sources', () => {
    const stack = storedRoute({
      target: {
        ...storedRoute().target,
        kind: 'stack-service',
        container: null,
        stack: 'shop',
        service: 'api',
        port: 8080,
      },
      source: { type: 'labels', host: 'local', container: null, stack: 'shop', service: 'api' },
    });
    expect(targetText(storedRoute().target)).toBe('local / web:80');
    expect(targetText(stack.target)).toBe('local / shop/api:8080');
    expect(sourceText(stack.source)).toBe('labels on shop/api (local)');
    expect(sourceText({ type: 'api' })).toBe('API');
  });
});

describe('a container’s and a stack’s routes', () => {
  const direct = storedRoute({ id: 'direct' });
  const byId = storedRoute({ id: 'by-id', target: { ...direct.target, container: 'abc123' } });
  const replica = storedRoute({
    id: 'replica',
    target: {
      ...direct.target,
      kind: 'stack-service',
      container: null,
      stack: 'shop',
      service: 'api',
    },
    upstreams: [],
  });
  const elsewhere = storedRoute({ id: 'elsewhere', target: { ...direct.target, host: 'beta' } });
  const routes = [direct, byId, replica, elsewhere];

  it('finds them by name, id, compose service and upstream, on the same host only', () => {
    const ids = (c: Parameters<typeof routesOfContainer>[2]) =>
      routesOfContainer(routes, 'local', c).map((r) => r.id);
    expect(ids({ id: 'abc123def', name: 'web' })).toEqual(['direct', 'by-id']);
    expect(
      ids({ id: 'f00', name: 'shop-api-1', composeProject: 'shop', composeService: 'api' }),
    ).toEqual(['replica']);
    expect(ids({ id: 'f00', name: 'other' })).toEqual([]);
    expect(routesOfStack(routes, 'local', 'shop').map((r) => r.id)).toEqual(['replica']);
  });

  it('takes a stream message into a cached list: changed in place, added, removed', () => {
    const changed = storedRoute({ id: 'direct', hostnames: ['new.test'] });
    expect(withRouteChange(routes, {}, 'direct', changed).map((r) => r.hostnames[0])).toEqual([
      'new.test',
      'app.home.arpa',
      'app.home.arpa',
      'app.home.arpa',
    ]);
    expect(withRouteChange(routes, {}, 'by-id', null).map((r) => r.id)).toEqual([
      'direct',
      'replica',
      'elsewhere',
    ]);
    const added = storedRoute({ id: 'added', target: { ...direct.target, host: 'beta' } });
    expect(withRouteChange([direct], {}, 'added', added).map((r) => r.id)).toEqual([
      'direct',
      'added',
    ]);
    // A list of one host's routes does not take another host's.
    expect(withRouteChange([direct], { host: 'local' }, 'added', added).map((r) => r.id)).toEqual([
      'direct',
    ]);
  });
});
