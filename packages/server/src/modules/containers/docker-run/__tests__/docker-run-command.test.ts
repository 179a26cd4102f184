import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellQuote } from '@berth/contract';
import { dockerRunArgs, dockerRunCommand, goDuration } from '../docker-run-command.js';
import type {
  RawContainerConfig,
  RawContainerInspect,
  RawHostConfig,
  RawImageInspect,
} from '../../../../docker/engine-types.js';

const ID = '3f9c2a7b8d1e4f6a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a';
const IMAGE_ENV = ['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_VERSION=20.11.1'];
const IMAGE_LABELS = { 'org.opencontainers.image.version': '1.4.2' };
const IMAGE_HEALTH_TEST = ['CMD-SHELL', 'wget -qO- http://localhost:3000/health || exit 1'];

const shopImage: RawImageInspect = {
  Id: 'sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b',
  RepoTags: ['ghcr.io/acme/shop-api:1.4.2'],
  RepoDigests: ['ghcr.io/acme/shop-api@sha256:0123456789abcdef0123456789abcdef'],
  Config: {
    Cmd: ['node', 'server.js'],
    Entrypoint: ['docker-entrypoint.sh'],
    Env: IMAGE_ENV,
    WorkingDir: '/app',
    User: 'node',
    Labels: IMAGE_LABELS,
    ExposedPorts: { '3000/tcp': {} },
    Healthcheck: { Test: IMAGE_HEALTH_TEST, Interval: 30e9, Timeout: 5e9, Retries: 3 },
  },
};

/** A container as the engine reports it; the engine has already merged the image defaults in. */
function inspect(
  config: Partial<RawContainerConfig> = {},
  host: Partial<RawHostConfig> = {},
  networks: RawContainerInspect['NetworkSettings']['Networks'] = null,
): RawContainerInspect {
  return {
    Id: ID,
    Created: '2024-05-01T10:00:00.000000000Z',
    Path: 'docker-entrypoint.sh',
    Args: ['node', 'server.js'],
    State: {
      Status: 'running',
      Running: true,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: 4242,
      ExitCode: 0,
      Error: '',
      StartedAt: '2024-05-01T10:00:01.000000000Z',
      FinishedAt: '0001-01-01T00:00:00Z',
    },
    Image: shopImage.Id,
    Name: '/shop-api',
    RestartCount: 0,
    Config: {
      Hostname: ID.slice(0, 12),
      User: '',
      Env: null,
      Cmd: ['node', 'server.js'],
      Entrypoint: null,
      Image: 'ghcr.io/acme/shop-api:1.4.2',
      WorkingDir: '',
      Labels: null,
      ...config,
    },
    HostConfig: { NetworkMode: 'bridge', ...host },
    Mounts: [],
    NetworkSettings: { Networks: networks },
  };
}

function shopInspect(): RawContainerInspect {
  const container = inspect(
    {
      Hostname: 'api',
      User: 'node',
      WorkingDir: '/app',
      Env: [...IMAGE_ENV, 'NODE_ENV=production', 'GREETING=it\'s "quoted" $(touch /tmp/x)'],
      Cmd: ['node', 'server.js', '--port', '3000'],
      Entrypoint: ['docker-entrypoint.sh'],
      Labels: {
        ...IMAGE_LABELS,
        'com.example.team': 'payments',
        'traefik.http.routers.shop.rule': 'Host(`shop.example.com`)',
      },
      ExposedPorts: { '3000/tcp': {}, '5353/udp': {}, '9229/tcp': {} },
      Healthcheck: {
        Test: IMAGE_HEALTH_TEST,
        Interval: 10e9,
        Timeout: 5e9,
        Retries: 5,
        StartPeriod: 90e9,
      },
      StopSignal: 'SIGTERM',
      StopTimeout: 20,
    },
    {
      Binds: ['/srv/shop/uploads:/app/uploads', '/etc/ssl/certs:/etc/ssl/certs:ro'],
      PortBindings: {
        '3000/tcp': [{ HostIp: '', HostPort: '8080' }],
        '5353/udp': [{ HostIp: '0.0.0.0', HostPort: '5353' }],
        '9229/tcp': [{ HostIp: '127.0.0.1', HostPort: '9229' }],
      },
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      NetworkMode: 'shop_backend',
      Memory: 536870912,
      MemorySwap: 1073741824,
      NanoCpus: 1500000000,
      PidsLimit: 200,
      CapAdd: ['NET_BIND_SERVICE'],
      CapDrop: ['ALL'],
      Devices: [
        { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
      ],
      Privileged: false,
      Tmpfs: { '/run': 'rw,noexec,nosuid,size=65536k' },
      LogConfig: { Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } },
      AutoRemove: false,
      ReadonlyRootfs: true,
      Mounts: [
        { Type: 'volume', Source: 'shop-cache', Target: '/app/.cache' },
        { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 67108864 } },
      ],
      Init: true,
    },
    {
      shop_backend: {
        NetworkID: 'f1e2d3c4b5a6f1e2d3c4b5a6f1e2d3c4b5a6f1e2d3c4b5a6f1e2d3c4b5a6f1e2',
        EndpointID: '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b',
        IPAddress: '172.20.0.5',
        Aliases: ['shop-api', 'api', ID.slice(0, 12)],
        MacAddress: '02:42:ac:14:00:05',
        IPAMConfig: { IPv4Address: '172.20.0.5' },
      },
    },
  );
  container.Mounts = [
    { Type: 'bind', Source: '/srv/shop/uploads', Destination: '/app/uploads', Mode: '', RW: true },
  ];
  return container;
}

const SHOP_ARGS_WITH_IMAGE = [
  'docker', 'run', '--detach',
  '--name', 'shop-api',
  '--hostname', 'api',
  '--env', 'NODE_ENV=production',
  '--env', 'GREETING=it\'s "quoted" $(touch /tmp/x)',
  '--publish', '8080:3000',
  '--publish', '127.0.0.1:9229:9229',
  '--publish', '0.0.0.0:5353:5353/udp',
  '--volume', '/srv/shop/uploads:/app/uploads',
  '--volume', '/etc/ssl/certs:/etc/ssl/certs:ro',
  '--mount', 'type=volume,source=shop-cache,target=/app/.cache',
  '--mount', 'type=tmpfs,target=/tmp,tmpfs-size=64m',
  '--tmpfs', '/run:rw,noexec,nosuid,size=65536k',
  '--network', 'shop_backend', '--ip', '172.20.0.5', '--network-alias', 'api',
  '--restart', 'on-failure:3',
  '--memory', '512m', '--cpus', '1.5', '--pids-limit', '200', '--device', '/dev/fuse',
  '--health-interval', '10s', '--health-start-period', '1m30s', '--health-retries', '5',
  '--label', 'com.example.team=payments',
  '--label', 'traefik.http.routers.shop.rule=Host(`shop.example.com`)',
  '--cap-add', 'NET_BIND_SERVICE', '--cap-drop', 'ALL',
  '--log-opt', 'max-file=3', '--log-opt', 'max-size=10m',
  '--stop-signal', 'SIGTERM', '--stop-timeout', '20', '--init', '--read-only',
  'ghcr.io/acme/shop-api:1.4.2', 'node', 'server.js', '--port', '3000',
]; // prettier-ignore

/** Every value that follows `flag` in an argv. */
function valuesOf(args: string[], flag: string): string[] {
  return args.flatMap((arg, index) => (arg === flag ? [args[index + 1] ?? ''] : []));
}

const scratch = mkdtempSync(join(tmpdir(), 'berth-run-command-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const NASTY = [
  'hello world',
  "it's",
  "''",
  '"double" quotes',
  `$(touch ${join(scratch, 'subshell')})`,
  `\`touch ${join(scratch, 'backtick')}\``,
  'line one\nline two\n',
  '',
  'héllo ☃ 日本語',
  '$HOME ${PATH} \\ * ? ~ # ! ; | & < > ( ) { } [ ]',
  '\ttab and trailing space ',
  '-n',
];

describe('shellQuote', () => {
  it('leaves plain words alone and quotes everything else', () => {
    expect(shellQuote('plain-arg_1.2,3:/x@y%z+=')).toBe('plain-arg_1.2,3:/x@y%z+=');
    expect(shellQuote('hello world')).toBe("'hello world'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('"double"')).toBe(`'"double"'`);
    expect(shellQuote('$(touch /tmp/x)')).toBe("'$(touch /tmp/x)'");
    expect(shellQuote('`id`')).toBe("'`id`'");
    expect(shellQuote('a\nb')).toBe("'a\nb'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('héllo')).toBe("'héllo'");
  });

  it('round-trips every nasty string through sh without running any of it', () => {
    for (const arg of NASTY) {
      const result = spawnSync('sh', ['-c', `printf '%s\\n' ${shellQuote(arg)}`], {
        encoding: 'utf8',
      });
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(`${arg}\n`);
    }
    expect(['subshell', 'backtick'].filter((name) => existsSync(join(scratch, name)))).toEqual([]);
  });
});

describe('goDuration', () => {
  it('prints nanoseconds the way Go prints a time.Duration', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(250)).toBe('250ns');
    expect(goDuration(1500)).toBe('1.5µs');
    expect(goDuration(500e6)).toBe('500ms');
    expect(goDuration(1.5e9)).toBe('1.5s');
    expect(goDuration(30e9)).toBe('30s');
    expect(goDuration(90e9)).toBe('1m30s');
    expect(goDuration(120e9)).toBe('2m0s');
    expect(goDuration(3600e9)).toBe('1h0m0s');
    expect(goDuration(3723.5e9)).toBe('1h2m3.5s');
    expect(goDuration(-2e9)).toBe('-2s');
  });
});

describe('dockerRunArgs', () => {
  it('recreates a realistic container, leaving out what it inherits from its image', () => {
    expect(dockerRunArgs(shopInspect(), shopImage)).toEqual(SHOP_ARGS_WITH_IMAGE);
  });

  it('writes every setting out when the image is not known', () => {
    const args = dockerRunArgs(shopInspect());
    expect(valuesOf(args, '--user')).toEqual(['node']);
    expect(valuesOf(args, '--workdir')).toEqual(['/app']);
    expect(valuesOf(args, '--env')).toEqual(shopInspect().Config.Env);
    expect(valuesOf(args, '--health-cmd')).toEqual([IMAGE_HEALTH_TEST[1]]);
    expect(valuesOf(args, '--health-timeout')).toEqual(['5s']);
    expect(valuesOf(args, '--label')).toContain('org.opencontainers.image.version=1.4.2');
    expect(valuesOf(args, '--entrypoint')).toEqual(['docker-entrypoint.sh']);
    expect(args.slice(-5).join(' ')).toBe('ghcr.io/acme/shop-api:1.4.2 node server.js --port 3000');
  });

  it('drops the command when it is the image default', () => {
    const container = inspect({ Cmd: ['node', 'server.js'], Entrypoint: ['docker-entrypoint.sh'] });
    expect(dockerRunCommand(container, shopImage)).toBe(
      'docker run --detach --name shop-api ghcr.io/acme/shop-api:1.4.2',
    );
  });

  it('repeats the command when the entrypoint changes, since docker then drops the image command', () => {
    const container = inspect({ Entrypoint: ['tini', '--'], Cmd: ['node', 'server.js'] });
    expect(dockerRunCommand(container, shopImage)).toBe(
      'docker run --detach --name shop-api --entrypoint tini ghcr.io/acme/shop-api:1.4.2 -- node server.js',
    );
  });

  it('clears the image entrypoint with an empty --entrypoint', () => {
    expect(dockerRunCommand(inspect({ Entrypoint: null, Cmd: ['sh'] }), shopImage)).toBe(
      "docker run --detach --name shop-api --entrypoint '' ghcr.io/acme/shop-api:1.4.2 sh",
    );
  });

  it('writes health durations as Go durations and exec-form tests as a quoted shell line', () => {
    const health = {
      Test: ['CMD', 'curl', '-f', 'http://localhost/a b'],
      Interval: 1.5e9,
      Timeout: 500e6,
      StartPeriod: 3600e9,
      Retries: 2,
    };
    const args = dockerRunArgs(inspect({ Healthcheck: health }));
    expect(args.slice(5)).toEqual([
      '--health-cmd', "curl -f 'http://localhost/a b'",
      '--health-interval', '1.5s', '--health-timeout', '500ms', '--health-start-period', '1h0m0s',
      '--health-retries', '2',
      'ghcr.io/acme/shop-api:1.4.2', 'node', 'server.js',
    ]); // prettier-ignore
  });

  it('disables a healthcheck the image has, and says nothing when the image has none either', () => {
    const none = inspect({ Healthcheck: { Test: ['NONE'] } });
    expect(valuesOf(dockerRunArgs(none, shopImage), '--no-healthcheck')).toHaveLength(1);
    const quietImage = {
      ...shopImage,
      Config: { ...shopImage.Config, Healthcheck: { Test: ['NONE'] } },
    };
    expect(dockerRunArgs(none, quietImage)).not.toContain('--no-healthcheck');
  });

  it('writes each restart policy the way docker run takes it', () => {
    const restart = (policy: RawHostConfig['RestartPolicy']) =>
      valuesOf(dockerRunArgs(inspect({}, { RestartPolicy: policy })), '--restart');
    expect(restart({ Name: 'on-failure', MaximumRetryCount: 3 })).toEqual(['on-failure:3']);
    expect(restart({ Name: 'on-failure', MaximumRetryCount: 0 })).toEqual(['on-failure']);
    expect(restart({ Name: 'unless-stopped' })).toEqual(['unless-stopped']);
    expect(restart({ Name: 'no' })).toEqual([]);
    expect(restart({ Name: '' })).toEqual([]);
  });

  it('publishes udp, IPv6 and unpinned host ports', () => {
    const args = dockerRunArgs(
      inspect(
        {},
        {
          PortBindings: {
            '53/udp': [
              { HostIp: '::1', HostPort: '5353' },
              { HostIp: '', HostPort: '53' },
            ],
            '80/tcp': [{ HostIp: '', HostPort: '' }],
            '8125/udp': [{ HostIp: '10.0.0.2', HostPort: '' }],
            '9000/tcp': null,
          },
        },
      ),
    );
    const published = ['80', '[::1]:5353:53/udp', '53:53/udp', '10.0.0.2::8125/udp'];
    expect(valuesOf(args, '--publish')).toEqual(published);
  });

  it('keeps read-only binds and mounts read-only, quoting mount fields docker splits on', () => {
    const args = dockerRunArgs(
      inspect(
        {},
        {
          Binds: ['/srv/config:/config:ro', 'media:/media:ro,z'],
          Mounts: [
            { Type: 'bind', Source: '/srv/my,data', Target: '/data', ReadOnly: true },
            { Type: 'volume', Target: '/scratch' },
            { Type: 'tmpfs', Target: '/cache', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1777 } },
          ],
          Tmpfs: { '/run': '' },
        },
      ),
    );
    expect(valuesOf(args, '--volume')).toEqual(['/srv/config:/config:ro', 'media:/media:ro,z']);
    expect(valuesOf(args, '--mount')).toEqual([
      'type=bind,"source=/srv/my,data",target=/data,readonly',
      'type=volume,target=/scratch',
      'type=tmpfs,target=/cache,tmpfs-size=1m,tmpfs-mode=1777',
    ]);
    expect(valuesOf(args, '--tmpfs')).toEqual(['/run']);
  });

  it('leaves derived hostnames and the default bridge out', () => {
    const onHost = dockerRunArgs(inspect({ Hostname: 'my-server' }, { NetworkMode: 'host' }));
    expect(onHost.slice(3, 7)).toEqual(['--name', 'shop-api', '--network', 'host']);
    expect(dockerRunArgs(inspect(), shopImage)).not.toContain('--network');
  });

  it('writes resource limits exactly', () => {
    const limits = { Memory: 268435456, MemorySwap: -1, NanoCpus: 250_000_100, PidsLimit: -1 };
    expect(dockerRunCommand(inspect({ Cmd: null }, limits))).toBe(
      'docker run --detach --name shop-api --memory 256m --memory-swap -1 --cpus 0.2500001 ghcr.io/acme/shop-api:1.4.2',
    );
  });
});

describe('dockerRunCommand', () => {
  it('quotes the argv so that sh hands docker exactly those arguments and runs nothing else', () => {
    const bin = join(scratch, 'bin');
    const marker = join(scratch, 'injected');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'docker'),
      '#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done\n',
    );
    chmodSync(join(bin, 'docker'), 0o755);
    const container = shopInspect();
    container.Config.Env = [
      ...NASTY.map((value, index) => `NASTY_${index}=${value}`),
      `X=$(touch ${marker})`,
    ];
    container.Config.Labels = { 'it\'s "a" label': '`touch ' + marker + '`' };

    const result = spawnSync('sh', ['-c', dockerRunCommand(container, shopImage)], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(
      dockerRunArgs(container, shopImage).slice(1),
    );
    expect(existsSync(marker)).toBe(false);
  });
});
