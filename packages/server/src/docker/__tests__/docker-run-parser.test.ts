import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dockerRunArgs, dockerRunCommand, goDuration } from '../docker-run-command.js';
import { parseDockerRunArgs, parseGoDuration } from '../docker-run-parser.js';
import type {
  RawContainerConfig,
  RawContainerInspect,
  RawHostConfig,
  RawImageInspect,
} from '../engine-types.js';

const ID = '3f9c2a7b8d1e4f6a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a';
const IMAGE = 'ghcr.io/acme/shop-api:1.4.2';
const MiB = 1024 * 1024;

const shopImage: RawImageInspect = {
  Id: 'sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b',
  RepoTags: [IMAGE],
  RepoDigests: null,
  Config: {
    Cmd: ['node', 'server.js'],
    Entrypoint: ['docker-entrypoint.sh'],
    Env: ['PATH=/usr/local/bin:/usr/bin:/bin'],
    WorkingDir: '/app',
    User: 'node',
    Labels: { 'org.opencontainers.image.version': '1.4.2' },
    ExposedPorts: { '3000/tcp': {} },
    Healthcheck: { Test: ['CMD-SHELL', 'wget -qO- localhost:3000'], Interval: 30e9, Retries: 3 },
  },
};

/** A container as the engine reports it, image defaults already merged in. */
function inspect(
  config: Partial<RawContainerConfig> = {},
  host: Partial<RawHostConfig> = {},
  networks: RawContainerInspect['NetworkSettings']['Networks'] = null,
): RawContainerInspect {
  return {
    Id: ID,
    Created: '2024-05-01T10:00:00.000000000Z',
    Path: 'docker-entrypoint.sh',
    Args: [],
    // prettier-ignore
    State: {
      Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false,
      Dead: false, Pid: 4242, ExitCode: 0, Error: '', StartedAt: '', FinishedAt: '',
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
      Image: IMAGE,
      WorkingDir: '',
      Labels: null,
      ...config,
    },
    HostConfig: { NetworkMode: 'bridge', ...host },
    Mounts: [],
    NetworkSettings: { Networks: networks },
  };
}

/** Everything a hand-set container can carry, with values that break naive parsing. */
function shopInspect(): RawContainerInspect {
  const portBindings = {
    '3000/tcp': [{ HostIp: '', HostPort: '8080' }],
    '5353/udp': [{ HostIp: '0.0.0.0', HostPort: '5353' }],
    '9229/tcp': [{ HostIp: '127.0.0.1', HostPort: '9229' }],
    '443/tcp': [{ HostIp: '::', HostPort: '8443' }],
    '8125/udp': [{ HostIp: 'fd00::2', HostPort: '' }],
    '80/tcp': [{ HostIp: '', HostPort: '' }],
  };
  return inspect(
    {
      Hostname: 'api',
      Domainname: 'shop.internal',
      User: 'node:node',
      WorkingDir: '/app',
      Env: [
        'PATH=/usr/local/bin:/usr/bin:/bin',
        'GREETING=it\'s "quoted" $(touch /tmp/x) `id`',
        'SPACED=  two  spaces ',
        'EMPTY=',
        'EQUATION=a=b=c',
      ],
      Cmd: ['node', 'server.js', '--port', '3000', '-d'],
      Entrypoint: ['docker-entrypoint.sh'],
      Labels: {
        'com.example.team': 'payments',
        'traefik.http.routers.shop.rule': 'Host(`shop.example.com`) && PathPrefix(`/api`)',
        'com.example.query': 'a=b&c=d',
        'com.example.note': 'it\'s a "note"',
        'com.example.empty': '',
      },
      ExposedPorts: Object.fromEntries(Object.keys(portBindings).map((key) => [key, {}])),
      Healthcheck: {
        Test: ['CMD-SHELL', 'wget -qO- http://localhost:3000/health || exit 1'],
        Interval: 10e9,
        Timeout: 2.5e9,
        StartPeriod: 90e9,
        Retries: 5,
      },
      StopSignal: 'SIGQUIT',
      StopTimeout: 20,
      Tty: true,
      OpenStdin: true,
    },
    {
      Binds: ['/srv/shop/uploads:/app/uploads', '/etc/ssl/certs:/etc/ssl/certs:ro'],
      PortBindings: portBindings,
      Mounts: [
        { Type: 'volume', Source: 'shop-cache', Target: '/app/.cache' },
        { Type: 'bind', Source: '/srv/my,"odd" dir', Target: '/data', ReadOnly: true },
        { Type: 'volume', Target: '/scratch', ReadOnly: false },
        { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 64 * MiB, Mode: 0o1777 } },
      ],
      Tmpfs: { '/run': 'rw,noexec,nosuid,size=65536k', '/var/cache': '' },
      NetworkMode: 'shop_backend',
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      Memory: 512 * MiB,
      MemoryReservation: 256 * MiB,
      MemorySwap: 768 * MiB,
      NanoCpus: 1_500_000_000,
      CpuShares: 512,
      PidsLimit: 200,
      CapAdd: ['NET_BIND_SERVICE', 'SYS_PTRACE'],
      CapDrop: ['ALL'],
      Devices: [
        { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
        { PathOnHost: '/dev/snd', PathInContainer: '/dev/sound', CgroupPermissions: 'rw' },
      ],
      Privileged: false,
      LogConfig: {
        Type: 'syslog',
        Config: { 'syslog-address': 'udp://10.0.0.1:514', tag: 'shop {{.Name}}' },
      },
      ReadonlyRootfs: true,
      Init: true,
      AutoRemove: false,
    },
    {
      shop_backend: {
        NetworkID: 'f1e2d3c4b5a6f1e2d3c4b5a6f1e2d3c4b5a6f1e2d3c4b5a6f1e2d3c4b5a6f1e2',
        EndpointID: '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b',
        IPAddress: '172.20.0.5',
        Aliases: ['shop-api', 'api', 'payments-api', ID.slice(0, 12)],
        IPAMConfig: { IPv4Address: '172.20.0.5', IPv6Address: 'fd00:20::5' },
      },
    },
  );
}

function roundTrip(container: RawContainerInspect, image?: RawImageInspect) {
  return parseDockerRunArgs(dockerRunArgs(container, image));
}

describe('parseDockerRunArgs on what dockerRunArgs writes', () => {
  it('reproduces every setting of a hand-set container', () => {
    const container = shopInspect();
    const host = container.HostConfig;
    const { name, body } = roundTrip(container);
    expect(name).toBe('shop-api');
    expect(body).toEqual({
      ...container.Config,
      HostConfig: {
        ...host,
        // docker run writes the all-interfaces address as an empty one.
        PortBindings: { ...host.PortBindings, '5353/udp': [{ HostIp: '', HostPort: '5353' }] },
        Mounts: [
          { Type: 'volume', Source: 'shop-cache', Target: '/app/.cache' },
          { Type: 'bind', Source: '/srv/my,"odd" dir', Target: '/data', ReadOnly: true },
          { Type: 'volume', Target: '/scratch' },
          { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 64 * MiB, Mode: 0o1777 } },
        ],
        // Switches left off are not sent at all.
        Privileged: undefined,
        AutoRemove: undefined,
      },
      NetworkingConfig: {
        EndpointsConfig: {
          // The name and short id are aliases the engine adds by itself.
          shop_backend: {
            IPAMConfig: { IPv4Address: '172.20.0.5', IPv6Address: 'fd00:20::5' },
            Aliases: ['api', 'payments-api'],
          },
        },
      },
    });
  });

  it('reads the shell-quoted command back to the same body, with nothing in it expanded', () => {
    const container = shopInspect();
    const words = spawnSync(
      'sh',
      ['-c', `set -- ${dockerRunCommand(container)}; for a in "$@"; do printf '%s\\0' "$a"; done`],
      { encoding: 'utf8' },
    );
    expect(words.stderr).toBe('');
    const argv = words.stdout.split('\0').slice(0, -1);
    expect(parseDockerRunArgs(argv)).toEqual(roundTrip(container));
  });

  it('leaves out what the image supplies, so the engine fills it in again', () => {
    const container = inspect(
      {
        User: 'node',
        WorkingDir: '/app',
        Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_ENV=production'],
        Entrypoint: ['docker-entrypoint.sh'],
        Cmd: ['node', 'worker.js'],
        Labels: { 'org.opencontainers.image.version': '1.4.2', role: 'worker' },
        Healthcheck: { ...shopImage.Config.Healthcheck, Retries: 5 },
      },
      {
        RestartPolicy: { Name: 'no' },
        AutoRemove: true,
        Memory: 256 * MiB,
        MemorySwap: 512 * MiB,
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
      },
    );
    const { body } = roundTrip(container, shopImage);
    expect(body).toEqual({
      Image: IMAGE,
      Env: ['NODE_ENV=production'],
      Labels: { role: 'worker' },
      Healthcheck: { Retries: 5 },
      Cmd: ['node', 'worker.js'],
      HostConfig: {
        AutoRemove: true,
        // The engine sets twice the memory as swap by itself.
        Memory: 256 * MiB,
        // No driver named means the daemon's default, which is what json-file was taken for.
        LogConfig: { Type: '', Config: { 'max-size': '10m', 'max-file': '3' } },
      },
    });
  });

  it('keeps the process argv of every entrypoint and command combination', () => {
    const cases: [Partial<RawContainerConfig>, RawImageInspect | undefined, object][] = [
      [{ Entrypoint: null, Cmd: ['sh', '-c', 'echo "$HOME"'] }, undefined, {}],
      [{ Entrypoint: ['tini', '--'], Cmd: ['node', 'a.js'] }, undefined, { Entrypoint: ['tini'] }],
      // An empty entrypoint clears the image's without bringing its command back.
      [{ Entrypoint: null, Cmd: ['sh'] }, shopImage, { Entrypoint: [''] }],
      [{ Entrypoint: ['docker-entrypoint.sh'], Cmd: ['node', 'server.js'] }, shopImage, {}],
      [{ Entrypoint: ['docker-entrypoint.sh'], Cmd: [] }, shopImage, { Entrypoint: ['docker-entrypoint.sh'] }],
      [{ Entrypoint: ['/bin/app'], Cmd: ['--flag', '-x'] }, shopImage, { Entrypoint: ['/bin/app'] }],
    ]; // prettier-ignore
    for (const [config, image, expected] of cases) {
      const container = inspect(config);
      const { body } = roundTrip(container, image);
      expect(body).toMatchObject(expected);
      if (!('Entrypoint' in expected)) expect(body.Entrypoint).toBeUndefined();
      const entrypoint = body.Entrypoint?.filter((word) => word !== '') ?? [];
      const inherited = image !== undefined && body.Entrypoint === undefined;
      const fromImage = inherited ? (image.Config.Entrypoint ?? []) : [];
      const command = body.Cmd ?? (inherited ? (image.Config.Cmd ?? []) : []);
      expect([...fromImage, ...entrypoint, ...command]).toEqual([
        ...(container.Config.Entrypoint ?? []),
        ...(container.Config.Cmd ?? []),
      ]);
    }
  });

  it('reads healthchecks: exec form as a shell line, durations as nanoseconds, NONE', () => {
    const health = {
      Test: ['CMD', 'curl', '-f', 'http://localhost/a b'],
      Interval: 1.5e9,
      Timeout: 500e6,
      StartPeriod: 3600e9 + 1,
      Retries: 2,
    };
    expect(roundTrip(inspect({ Healthcheck: health })).body.Healthcheck).toEqual({
      ...health,
      Test: ['CMD-SHELL', "curl -f 'http://localhost/a b'"],
    });
    const none = inspect({ Healthcheck: { Test: ['NONE'] } });
    expect(roundTrip(none, shopImage).body.Healthcheck).toEqual({ Test: ['NONE'] });
  });

  it('reads each restart policy, network mode and privilege', () => {
    const policies: RawHostConfig['RestartPolicy'][] = [
      { Name: 'on-failure', MaximumRetryCount: 7 }, { Name: 'on-failure', MaximumRetryCount: 0 },
      { Name: 'always' }, { Name: 'unless-stopped' },
    ]; // prettier-ignore
    for (const policy of policies) {
      const parsed = roundTrip(inspect({}, { RestartPolicy: policy })).body.HostConfig;
      const expected = policy?.MaximumRetryCount ? policy : { Name: policy?.Name };
      expect(parsed.RestartPolicy).toEqual(expected);
    }
    const host = { NetworkMode: 'host', Privileged: true, Memory: 64 * MiB, MemorySwap: -1 };
    // The host's own hostname and an unlimited pids limit are not the container's choices.
    const { body } = roundTrip(inspect({ Hostname: 'nas' }, { ...host, PidsLimit: 0 }));
    expect(body.Hostname).toBeUndefined();
    expect(body.NetworkingConfig).toBeUndefined();
    expect(body.HostConfig).toEqual(host);
  });
});

describe('parseDockerRunArgs on hand-written commands', () => {
  it('takes --flag=value as well as --flag value, and docker run spellings of sizes', () => {
    const { name, body } = parseDockerRunArgs([
      'docker', 'run', '-d', '--name=web', '--env=A=b=c', '--entrypoint=', '--rm=false',
      '--tty=true', '--publish=[2001:db8::1]:80:80/tcp', '--publish', '2001:db8::1::53/udp',
      '--memory=1.5g', '--memory-swap', '-1', '--cpus=.25', '--health-interval=1m30s',
      '--health-cmd', '', '--volume', '/cache', '--device=/dev/fuse:rw', '--label', 'bare', '--label=__proto__=x',
      '--mount=type=tmpfs,dst=/t,tmpfs-size=64m', 'nginx', '-g', 'daemon off;',
    ]); // prettier-ignore
    expect(name).toBe('web');
    expect(body).toEqual({
      Image: 'nginx',
      Cmd: ['-g', 'daemon off;'],
      Entrypoint: [''],
      Env: ['A=b=c'],
      Tty: true,
      Labels: { bare: '', ['__proto__']: 'x' },
      Volumes: { '/cache': {} },
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Healthcheck: { Interval: 90e9 },
      HostConfig: {
        AutoRemove: false,
        PortBindings: {
          '80/tcp': [{ HostIp: '2001:db8::1', HostPort: '80' }],
          '53/udp': [{ HostIp: '2001:db8::1', HostPort: '' }],
        },
        Memory: 1.5 * 1024 * MiB,
        MemorySwap: -1,
        NanoCpus: 250_000_000,
        Devices: [
          { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rw' },
        ],
        Mounts: [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 64 * MiB } }],
      },
    });
  });

  it('refuses what it cannot read, naming the flag but not the value', () => {
    const refusals: [string[], string][] = [
      [['--security-opt=seccomp=secret', 'nginx'], 'unsupported docker run flag: --security-opt'],
      [['-e', 'A=1', 'nginx'], 'unsupported docker run flag: -e'],
      [['--name'], 'docker run flag --name needs a value'],
      [['--detach'], 'docker run needs an image'],
      [['--health-interval', '10', 'nginx'], 'missing unit'],
      [['--health-timeout=-5s', 'nginx'], 'cannot be negative'],
      [['--stop-timeout', 'soon', 'nginx'], '--stop-timeout needs a whole number'],
      [['--cpus', '0.0000000001', 'nginx'], '--cpus needs a decimal with at most 9 places'],
      [['--memory', '12q', 'nginx'], '--memory needs a size'],
      [['--restart', 'always:3', 'nginx'], 'takes no retry count'],
      [['--restart', 'sometimes', 'nginx'], 'unknown --restart policy'],
      [['--rm', '--restart', 'always', 'nginx'], '--restart and --rm'],
      [['--no-healthcheck', '--health-retries', '3', 'nginx'], 'conflicts with --health-*'],
      [['--ip', '10.0.0.2', 'nginx'], 'need --network'],
      [['--network', 'a', '--ip', 'fd00::1', 'nginx'], '--ip needs an IPv4 address'],
      [['--network', 'a', '--network', 'b', 'nginx'], 'only one --network'],
      [['--publish', 'localhost:80:80', 'nginx'], 'not an IP address'],
      [['--publish', '80:80/icmp', 'nginx'], 'unknown protocol'],
      [['--publish', '8000-8010:80-90', 'nginx'], 'bad container port'],
      [['--mount', 'type=bind,src="/a,target=/b', 'nginx'], 'invalid quoting'],
      [['--mount', 'type=volume,target=/b,volume-driver=nfs', 'nginx'], 'unsupported --mount option: volume-driver'],
      [['--mount', 'type=bind,target=/b,tmpfs-size=1m', 'nginx'], 'need type=tmpfs'],
      [['--device', '/dev/a:/dev/b:rwx', 'nginx'], 'invalid --device'],
      [['--log-opt', 'max-size', 'nginx'], 'needs key=value'],
      [['--privileged=maybe', 'nginx'], 'takes true or false'],
    ]; // prettier-ignore
    for (const [args, message] of refusals) {
      const parse = () => parseDockerRunArgs(['docker', 'run', ...args]);
      expect(parse, args.join(' ')).toThrow(message);
      expect(parse).not.toThrow(/secret/);
    }
    expect(() => parseDockerRunArgs(['docker', 'create', 'nginx'])).toThrow('docker run');
  });

  it('never fills an --env value from the server environment', () => {
    process.env.BERTH_PARSER_SECRET = 'do-not-copy';
    try {
      expect(() =>
        parseDockerRunArgs(['docker', 'run', '--env', 'BERTH_PARSER_SECRET', 'nginx']),
      ).toThrow('--env BERTH_PARSER_SECRET needs a value');
    } finally {
      delete process.env.BERTH_PARSER_SECRET;
    }
  });
});

describe('parseGoDuration', () => {
  it('reads back everything goDuration writes', () => {
    const samples = [
      0, 1, 999, 1000, 1500, 999_999, 1e6, 500e6, 999_999_999, 1e9, 1.5e9, 30e9, 90e9, 120e9,
      3600e9, 3723.5e9, 3 * 86400e9 + 1, 123_456_789_012, -2e9, -1, Number.MAX_SAFE_INTEGER,
    ]; // prettier-ignore
    for (const nanoseconds of samples) {
      expect(parseGoDuration(goDuration(nanoseconds))).toBe(nanoseconds);
    }
  });

  it('reads the other forms Go accepts', () => {
    const forms: [string, number][] = [
      ['0', 0], ['1h30m', 5400e9], ['1.5h', 5400e9], ['.5s', 500e6], ['5.s', 5e9], ['+3ms', 3e6],
      ['300us', 300e3], ['300\u00b5s', 300e3], ['300\u03bcs', 300e3], ['-1.5m', -90e9],
      ['1s500ms', 1.5e9],
      // Go drops digits finer than a nanosecond.
      ['1.0000000009s', 1e9],
    ]; // prettier-ignore
    for (const [text, nanoseconds] of forms) expect(parseGoDuration(text), text).toBe(nanoseconds);
  });

  it('refuses what Go refuses', () => {
    const bad = ['', '-', '10', '1x', '.', '.s', 's', '1.2.3s', '1 s', '1s-2s', '1e3s'];
    // One nanosecond past the largest int64.
    bad.push('9223372036854775808ns');
    for (const text of bad) {
      expect(() => parseGoDuration(text), text).toThrow('invalid Go duration');
    }
  });
});
