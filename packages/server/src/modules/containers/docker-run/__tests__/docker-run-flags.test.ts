import { describe, expect, it } from 'vitest';
import { dockerRunArgs, engineDefaults, type EngineDefaults } from '../docker-run-command.js';
import type {
  RawContainerConfig,
  RawContainerInspect,
  RawDeviceRequest,
  RawHostConfig,
  RawImageInspect,
  RawInfo,
} from '../../../../docker/engine-types.js';

/**
 * The flags the engine round trip (docker-run-round-trip.test.ts, beside this file)
 * cannot reach on the test engine: settings its storage driver or kernel refuse, other
 * engines' defaults, and values docker derives by itself.
 */

const ID = '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f';
const IMAGE = 'registry.example/tools:2';

const image: RawImageInspect = {
  Id: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  RepoTags: [IMAGE],
  RepoDigests: null,
  Os: 'linux',
  Architecture: 'amd64',
  Config: {
    Cmd: ['serve'],
    Entrypoint: null,
    Env: null,
    WorkingDir: '',
    User: '',
    Labels: null,
    Volumes: { '/data': {} },
    ExposedPorts: { '8080/tcp': {} },
    StopSignal: 'SIGQUIT',
  },
};

const info = {
  OSType: 'linux',
  Architecture: 'x86_64',
  LoggingDriver: 'journald',
  DefaultRuntime: 'crun',
  CgroupVersion: '2',
} as RawInfo;

function inspect(
  config: Partial<RawContainerConfig> = {},
  host: Partial<RawHostConfig> = {},
): RawContainerInspect {
  return {
    Id: ID,
    Created: '2024-05-01T10:00:00.000000000Z',
    Path: 'serve',
    Args: [],
    // prettier-ignore
    State: {
      Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false,
      Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: '', FinishedAt: '',
    },
    Image: image.Id,
    Name: '/tools',
    RestartCount: 0,
    Config: {
      Hostname: ID.slice(0, 12),
      User: '',
      Env: null,
      Cmd: ['serve'],
      Entrypoint: null,
      Image: IMAGE,
      WorkingDir: '',
      Labels: null,
      ...config,
    },
    HostConfig: { NetworkMode: 'default', ...host },
    Mounts: [],
    NetworkSettings: { Networks: null },
  };
}

/** The flags between the name and the image. */
function flags(container: RawContainerInspect, defaults?: EngineDefaults): string[] {
  const args = dockerRunArgs(container, image, defaults);
  return args.slice(5, args.indexOf(IMAGE));
}

describe('engine defaults', () => {
  const defaults = engineDefaults(info);

  it('reads the engine’s logging driver, runtime, cgroup namespace and platform', () => {
    expect(defaults).toMatchObject({
      loggingDriver: 'journald',
      runtime: 'crun',
      cgroupnsMode: 'private',
      platform: 'linux/amd64',
    });
    expect(engineDefaults({ ...info, CgroupVersion: '1' }).cgroupnsMode).toBe('host');
  });

  it('leaves out what the engine fills in by itself and writes what differs', () => {
    const filled = { LogConfig: { Type: 'journald', Config: {} }, Runtime: 'crun' };
    const defaultsOnly = inspect({}, { ...filled, CgroupnsMode: 'private', IpcMode: 'private' });
    expect(flags(defaultsOnly, defaults)).toEqual([]);
    const chosen = inspect(
      {},
      {
        LogConfig: { Type: 'json-file', Config: {} },
        Runtime: 'runc',
        CgroupnsMode: 'host',
        IpcMode: 'shareable',
        ShmSize: 256 * 1024 * 1024,
      },
    );
    expect(flags(chosen, defaults)).toEqual([
      '--shm-size', '256m',
      '--ipc', 'shareable', '--cgroupns', 'host', '--runtime', 'runc',
      '--log-driver', 'json-file',
    ]); // prettier-ignore
  });

  it('writes --platform only for an image of another platform than the engine’s', () => {
    expect(flags(inspect(), defaults)).toEqual([]);
    const arm = { ...image, Architecture: 'arm', Variant: 'v7' };
    const args = dockerRunArgs(inspect(), arm, defaults);
    expect(args.slice(5, 7)).toEqual(['--platform', 'linux/arm/v7']);
  });
});

describe('dockerRunArgs for what the test engine cannot create', () => {
  it('writes storage options, which need overlay on xfs with project quotas', () => {
    expect(flags(inspect({}, { StorageOpt: { size: '10G' } }))).toEqual([
      '--storage-opt',
      'size=10G',
    ]);
  });

  it('leaves out the label=disable docker adds for the host namespaces, and seccomp JSON', () => {
    const host = {
      PidMode: 'host',
      SecurityOpt: ['label=disable', 'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'],
    };
    expect(flags(inspect({}, host))).toEqual(['--pid', 'host']);
    const chosen = { SecurityOpt: ['label=disable', 'seccomp=unconfined'] };
    expect(flags(inspect({}, chosen))).toEqual([
      '--security-opt', 'label=disable', '--security-opt', 'seccomp=unconfined',
    ]); // prettier-ignore
  });

  it('writes GPU requests as --gpus spells them', () => {
    const DeviceRequests: RawDeviceRequest[] = [
      { Count: -1, Capabilities: [['gpu']] },
      { Count: 2, Capabilities: [['gpu']], Options: {} },
      { Driver: 'nvidia', DeviceIDs: ['0', '2'], Capabilities: [['compute', 'utility', 'gpu']] },
      { Count: 1, Capabilities: [['gpu']], Options: { mode: 'a,b' } },
    ];
    expect(flags(inspect({}, { DeviceRequests }))).toEqual([
      '--gpus', 'all',
      '--gpus', '2',
      '--gpus', '"device=0,2",driver=nvidia,"capabilities=compute,utility"',
      '--gpus', 'count=1,"options=""mode=a,b"""',
    ]); // prettier-ignore
  });

  it('groups consecutive ports into ranges, and only those', () => {
    const binding = (HostPort: string) => [{ HostIp: '', HostPort }];
    const PortBindings = {
      '7000/tcp': binding('17000'),
      '7001/tcp': binding('17001'),
      '7003/tcp': binding('17003'),
      '7004/tcp': binding('27004'),
      '9000/udp': binding(''),
      '9001/udp': binding(''),
      '6000/tcp': binding('16000-16010'),
    };
    const ExposedPorts = Object.fromEntries(
      [...Object.keys(PortBindings), '8080/tcp', '5000/tcp', '5001/tcp'].map((k) => [k, {}]),
    );
    expect(flags(inspect({ ExposedPorts }, { PortBindings }))).toEqual([
      '--publish', '16000-16010:6000',
      '--publish', '17000-17001:7000-7001',
      '--publish', '17003:7003',
      '--publish', '27004:7004',
      '--publish', '9000-9001/udp',
      '--expose', '5000-5001',
    ]); // prettier-ignore
  });

  it('keeps legacy links, anonymous volumes and a stop signal that are not the image’s', () => {
    const container = inspect(
      { Volumes: { '/data': {}, '/cache': {} }, StopSignal: 'SIGQUIT' },
      { Links: ['/db:/tools/database', '/cache:/tools/cache'] },
    );
    expect(flags(container)).toEqual([
      '--volume', '/cache', '--link', 'db:database', '--link', 'cache',
    ]); // prettier-ignore
    expect(flags(inspect({ StopSignal: 'SIGTERM' }))).toEqual(['--stop-signal', 'SIGTERM']);
  });

  it('joins every network in one run where the engine takes several (API 1.44+)', () => {
    const endpoint = { NetworkID: 'f00d', EndpointID: '', IPAddress: '' };
    const container = inspect({}, { NetworkMode: 'front' });
    container.NetworkSettings.Networks = {
      front: {
        ...endpoint,
        Aliases: ['web', ID.slice(0, 12)],
        IPAMConfig: { IPv4Address: '10.1.0.5' },
      },
      back: { ...endpoint, Aliases: ['api', 'tools'], DriverOpts: { 'com.example.x': 'a,b' } },
    };
    const modern = engineDefaults(info, '1.45');
    expect(modern.severalNetworks).toBe(true);
    expect(flags(container, modern)).toEqual([
      '--network', 'name=front,alias=web,ip=10.1.0.5',
      '--network', 'name=back,alias=api,"driver-opt=com.example.x=a,b"',
    ]); // prettier-ignore
    // Before 1.44 one run joins one network: the first, with the flags every docker knows.
    const older = { ...modern, severalNetworks: engineDefaults(info, '1.41').severalNetworks };
    expect(flags(container, older)).toEqual([
      '--network', 'front', '--ip', '10.1.0.5', '--network-alias', 'web',
    ]); // prettier-ignore
  });
});
