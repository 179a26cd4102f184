import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { entryFromList, withStatus } from '../container-summary.js';
import { parseDockerHost } from '../engine-endpoint.js';
import { readNdjson } from '../ndjson.js';
import { RefreshQueue } from '../refresh-queue.js';
import { refreshKeysFor } from '../event-keys.js';

describe('readNdjson', () => {
  it('yields one value per line across arbitrary chunk boundaries', async () => {
    const stream = new PassThrough();
    const values: unknown[] = [];
    const reading = (async () => {
      for await (const value of readNdjson(stream)) values.push(value);
    })();
    stream.write('{"a":1}\n{"b"');
    stream.write(':2}\n\n{"c":');
    stream.end('3}');
    await reading;
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('ends with an error on a line that is not JSON', async () => {
    const stream = new PassThrough();
    stream.end('{"a":1}\nnot json\n');
    const consume = async (): Promise<void> => {
      for await (const value of readNdjson(stream)) void value;
    };
    await expect(consume()).rejects.toThrow(SyntaxError);
  });
});

describe('RefreshQueue', () => {
  it('coalesces repeated keys and never runs one key twice at a time', async () => {
    const runs: string[] = [];
    let active = 0;
    let maxActiveSameKey = 0;
    const activeKeys = new Map<string, number>();
    const queue = new RefreshQueue(
      async (key) => {
        active += 1;
        activeKeys.set(key, (activeKeys.get(key) ?? 0) + 1);
        maxActiveSameKey = Math.max(maxActiveSameKey, activeKeys.get(key) ?? 0);
        runs.push(key);
        await new Promise((resolve) => setTimeout(resolve, 5));
        activeKeys.set(key, (activeKeys.get(key) ?? 1) - 1);
        active -= 1;
      },
      () => undefined,
      2,
    );
    queue.pause();
    for (let i = 0; i < 50; i += 1) queue.add('a');
    queue.add('b');
    queue.resume();
    queue.add('a'); // in flight now: must run once more afterwards, not concurrently
    await queue.idle();
    expect(runs.filter((k) => k === 'b')).toHaveLength(1);
    expect(runs.filter((k) => k === 'a')).toHaveLength(2);
    expect(maxActiveSameKey).toBe(1);
    expect(active).toBe(0);
  });

  it('reports a failed refresh and carries on', async () => {
    const failures: string[] = [];
    const queue = new RefreshQueue(
      (key) => (key === 'bad' ? Promise.reject(new Error('nope')) : Promise.resolve()),
      (key) => failures.push(key),
    );
    queue.add('bad');
    queue.add('good');
    await queue.idle();
    expect(failures).toEqual(['bad']);
  });
});

describe('parseDockerHost', () => {
  it('reads unix and tcp addresses', () => {
    expect(parseDockerHost('unix:///var/run/docker.sock')).toEqual({
      transport: 'unix',
      socketPath: '/var/run/docker.sock',
    });
    expect(parseDockerHost('tcp://engine.lan:2375')).toEqual({
      transport: 'tcp',
      host: 'engine.lan',
      port: 2375,
      tls: null,
    });
    expect(parseDockerHost('tcp://engine.lan')).toMatchObject({ port: 2375 });
  });

  it('refuses what it cannot use', () => {
    expect(() => parseDockerHost('ssh://me@box')).toThrow(/unsupported scheme "ssh:"/);
    expect(() => parseDockerHost('/var/run/docker.sock')).toThrow(/is not an address/);
  });
});

describe('entryFromList', () => {
  it('maps an engine list entry to the contract shape', () => {
    const listedAt = 1_800_000_000_000;
    const entry = entryFromList(
      {
        Id: 'abc123',
        Names: ['/web'],
        Image: 'nginx:1',
        ImageID: 'sha256:ff',
        Command: 'nginx -g daemon off;',
        Created: 1_700_000_000,
        State: 'running',
        Status: 'Up 5 minutes (unhealthy)',
        Ports: [
          { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
          { PrivatePort: 443, Type: 'tcp' },
        ],
        Labels: { 'io.berth.managed': 'true', 'com.docker.compose.project': 'shop' },
        NetworkSettings: {
          Networks: { bridge: { NetworkID: 'n1', EndpointID: 'e1', IPAddress: '' } },
        },
      },
      listedAt,
    );
    // Served at once it reads as listed; three minutes later it has aged with the clock.
    expect(withStatus(entry, listedAt + 180_000).status).toBe('Up 8 minutes (unhealthy)');
    expect(withStatus(entry, listedAt)).toEqual({
      id: 'abc123',
      name: 'web',
      image: 'nginx:1',
      imageId: 'sha256:ff',
      imageDigest: null,
      command: 'nginx -g daemon off;',
      created: '2023-11-14T22:13:20.000Z',
      state: 'running',
      health: 'unhealthy',
      status: 'Up 5 minutes (unhealthy)',
      ports: [
        { privatePort: 80, publicPort: 8080, protocol: 'tcp', hostIp: '0.0.0.0' },
        { privatePort: 443, publicPort: null, protocol: 'tcp', hostIp: null },
      ],
      networks: [{ name: 'bridge', networkId: 'n1', ipAddress: null }],
      mounts: [],
      labels: { 'io.berth.managed': 'true', 'com.docker.compose.project': 'shop' },
      composeProject: 'shop',
      composeService: null,
      // A running container has no exit facts; the list does not carry a restart count.
      exitCode: null,
      finishedAt: null,
      restartCount: 0,
      oomKilled: false,
    });
  });
});

describe('refreshKeysFor', () => {
  const event = (Type: string, Action: string, Attributes: Record<string, string> = {}) => ({
    Type,
    Action,
    Actor: { ID: 'x1', Attributes },
    time: 1,
    timeNano: 1e9,
  });
  it('maps engine events to what must be refreshed', () => {
    expect(refreshKeysFor(event('container', 'die'))).toEqual(['container:x1']);
    expect(refreshKeysFor(event('container', 'exec_start: sh -c ls'))).toEqual([]);
    expect(refreshKeysFor(event('container', 'health_status: healthy'))).toEqual(['container:x1']);
    expect(refreshKeysFor(event('image', 'tag'))).toEqual(['images']);
    expect(refreshKeysFor(event('network', 'connect', { container: 'c9' }))).toEqual([
      'network:x1',
      'container:c9',
    ]);
    expect(refreshKeysFor(event('network', 'create'))).toEqual(['network:x1']);
    expect(refreshKeysFor(event('volume', 'mount'))).toEqual([]);
    expect(refreshKeysFor(event('volume', 'destroy'))).toEqual(['volume:x1']);
    expect(refreshKeysFor(event('daemon', 'reload'))).toEqual([]);
  });
});
