import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../../config/config.js';
import { matchRoute, parseAccessLogLine } from '../activity.js';
import { startingPage } from '../starting-page.js';
import { containerTarget, wakeRoute } from './wake-rig.js';

const WAKE = { idleMinutes: 1, startTimeoutSeconds: 10 };

describe("Caddy's access log lines", () => {
  it('reads the host without its port, the path without its query, and the time it ended', () => {
    const line = JSON.stringify({
      level: 'info',
      ts: 1_700_000_000.25,
      logger: 'http.log.access',
      msg: 'handled request',
      request: { host: 'App.Example.test:8443', uri: '/api/items?page=2' },
      duration: 0.01,
    });
    expect(parseAccessLogLine(line, 1_800_000_000_000)).toEqual({
      host: 'app.example.test',
      path: '/api/items',
      at: 1_700_000_000_250,
    });
  });

  it('caps a time ahead of ours and ignores what is not a request entry', () => {
    const ahead = JSON.stringify({ ts: 2_000_000_000, request: { host: 'a.test', uri: '/' } });
    expect(parseAccessLogLine(ahead, 1_000)?.at).toBe(1_000);
    expect(parseAccessLogLine('not json', 1)).toBeNull();
    expect(parseAccessLogLine('{"msg":"server running"}', 1)).toBeNull();
    expect(parseAccessLogLine('[1,2]', 1)).toBeNull();
  });

  it('finds the route Caddy matched: the hostname (or a one-label wildcard), then the longest prefix', () => {
    const root = wakeRoute('root', 'app.test', containerTarget('a'), WAKE);
    const api = { ...wakeRoute('api', 'app.test', containerTarget('b'), WAKE), pathPrefix: '/api' };
    const wild = wakeRoute('wild', '*.home.test', containerTarget('c'), WAKE);
    const routes = [root, api, wild];
    expect(matchRoute(routes, 'app.test', '/api/items')?.id).toBe('api');
    expect(matchRoute(routes, 'app.test', '/')?.id).toBe('root');
    expect(matchRoute(routes, 'nas.home.test', '/')?.id).toBe('wild');
    expect(matchRoute(routes, 'a.b.home.test', '/')).toBeUndefined();
    expect(matchRoute(routes, 'other.test', '/')).toBeUndefined();
  });
});

describe('the starting page', () => {
  it('names the hostnames, escaped, reloads itself and loads nothing else', () => {
    const page = startingPage(['a.test', '<b>.test'], 2);
    expect(page).toContain('Starting a.test, &#60;b&#62;.test…');
    expect(page).toContain('<meta http-equiv="refresh" content="2">');
    expect(page).not.toMatch(/<script|src=|href=|<b>/);
  });
});

describe('waker configuration', () => {
  const base = { BERTH_DATA_DIR: '/tmp/berth-wake-config' };

  it('listens on a free loopback port by default and is dialled where it is bound', () => {
    expect(loadConfig(base).proxy.waker).toEqual({
      listen: { host: '127.0.0.1', port: 0 },
      address: null,
    });
    expect(
      loadConfig({
        ...base,
        BERTH_PROXY_WAKER_LISTEN: '[::]:7400',
        BERTH_PROXY_WAKER_ADDRESS: 'berth.lan:7400',
      }).proxy.waker,
    ).toEqual({ listen: { host: '::', port: 7400 }, address: 'berth.lan:7400' });
  });

  it('names the variable that is wrong', () => {
    for (const env of [
      { BERTH_PROXY_WAKER_LISTEN: 'no-port' },
      { BERTH_PROXY_WAKER_LISTEN: '127.0.0.1:70000' },
      { BERTH_PROXY_WAKER_ADDRESS: 'http://berth:80' },
    ]) {
      const load = () => loadConfig({ ...base, ...env });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(Object.keys(env)[0]);
    }
  });
});
