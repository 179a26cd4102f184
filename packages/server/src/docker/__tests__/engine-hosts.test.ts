import { describe, expect, it } from 'vitest';
import { EngineHosts, type EngineHost } from '../engine-hosts.js';
import { testLogger } from '../../testing/silent-logger.js';

const nowhere = (id: string) => ({
  id,
  name: id,
  endpoint: { transport: 'unix' as const, socketPath: `/nonexistent/${id}.sock` },
});

describe('EngineHosts at runtime', () => {
  it('runs a per-host setup for hosts there are and hosts added later, and its teardown on removal', async () => {
    const hosts = new EngineHosts([nowhere('a')], testLogger(), { retryMinMs: 10, retryMaxMs: 20 });
    hosts.start();
    const log: string[] = [];
    const stop = hosts.eachHost((host) => {
      log.push(`+${host.id}`);
      return () => log.push(`-${host.id}`);
    });
    const b = hosts.add(nowhere('b'));
    expect(hosts.list().map((h) => h.id)).toEqual(['a', 'b']);
    const replaced = await hosts.update({ ...nowhere('b'), labels: ['home'] });
    expect(replaced).not.toBe(b);
    expect(b.retired.aborted).toBe(true);
    expect(String(b.retired.reason)).toBe('host "b" was changed');
    expect(replaced.labels).toEqual(['home']);
    const a = hosts.get('a') as EngineHost;
    expect(await hosts.remove('a')).toBe(true);
    expect(await hosts.remove('a')).toBe(false);
    expect(a.retired.aborted).toBe(true);
    expect(hosts.get('a')).toBeUndefined();
    stop();
    expect(log).toEqual(['+a', '+b', '-b', '+b', '-a', '-b']);
    expect(() => hosts.add(nowhere('b'))).toThrow(/exists already/);
    await hosts.stop();
  });
});
