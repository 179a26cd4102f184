import { TEST_IMAGE, TEST_LABEL } from '../../../../testing/test-engine.js';

/**
 * Containers made through the Engine API with (between them) every setting `docker run` can
 * give, for the round trip through the real CLI. Each is a create body and its query.
 */

export interface RoundTripContext {
  runId: string;
  network: string;
  volume: string;
  helperName: string;
  helperId: string;
  richImage: string;
}

export interface RoundTripCase {
  name: string;
  body: (c: RoundTripContext) => Record<string, unknown>;
  /** Created with a MAC address, which docker 25+ clients only send to API 1.44+ engines. */
  macAddress?: boolean;
}

const MiB = 1024 * 1024;

export const RICH_IMAGE_CONFIG = {
  Env: ['PATH=/bin', 'APP_MODE=image', 'KEEP=from-image'],
  Labels: { 'org.example.image': 'rich', 'org.example.tier': 'base' },
  WorkingDir: '/tmp',
  User: 'nobody',
  ExposedPorts: { '3000/tcp': {} },
  Volumes: { '/data': {} },
  Entrypoint: ['sh', '-c'],
  Cmd: ['sleep 300'],
  Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 30e9, Timeout: 5e9, Retries: 3 },
  StopSignal: 'SIGUSR1',
};

const labelOf = (c: RoundTripContext) => ({ [TEST_LABEL]: c.runId });

export const ROUND_TRIP_CASES: RoundTripCase[] = [
  {
    name: 'user-network',
    body: (c) => ({
      Image: TEST_IMAGE,
      Hostname: 'alpha',
      Domainname: 'example.test',
      User: 'nobody',
      WorkingDir: '/tmp',
      Env: ['GREETING=it\'s "quoted" $(touch /tmp/x) `id`', 'EMPTY=', 'MULTI=line one\nline two'],
      Entrypoint: ['sh', '-c'],
      Cmd: ['echo "$GREETING"; sleep 300', 'arg0'],
      Labels: { ...labelOf(c), 'app.tier': 'front end', 'with.equals': 'a=b', "it's": '"q"' },
      ExposedPorts: Object.fromEntries(
        ['80/tcp', '53/udp', '443/tcp', '8000/tcp', '8001/tcp', '8002/tcp', '9000/tcp']
          .concat(['9001/tcp', '9002/tcp', '5000/udp'])
          .map((port) => [port, {}]),
      ),
      Volumes: { '/anon': {} },
      Healthcheck: {
        Test: ['CMD-SHELL', 'test -f /etc/passwd || exit 1'],
        Interval: 15e9,
        Timeout: 2e9,
        Retries: 4,
        StartPeriod: 1.5e9,
      },
      StopSignal: 'SIGINT',
      StopTimeout: 3,
      Tty: true,
      OpenStdin: true,
      HostConfig: {
        NetworkMode: c.network,
        PortBindings: {
          '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18089' }],
          '53/udp': [{ HostIp: '', HostPort: '' }],
          '443/tcp': [
            { HostIp: '0.0.0.0', HostPort: '18443' },
            { HostIp: '::1', HostPort: '18443' },
          ],
          '8000/tcp': [{ HostIp: '', HostPort: '18000' }],
          '8001/tcp': [{ HostIp: '', HostPort: '18001' }],
          '8002/tcp': [{ HostIp: '', HostPort: '18002' }],
        },
        Dns: ['10.214.9.53', '1.1.1.1'],
        DnsSearch: ['example.test', 'corp.test'],
        DnsOptions: ['ndots:2', 'timeout:3'],
        ExtraHosts: ['db.local:10.1.2.3', 'v6.local:fd00::1'],
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 },
        Memory: 48 * MiB,
        MemoryReservation: 32 * MiB,
        MemorySwap: 80 * MiB,
        MemorySwappiness: 10,
        NanoCpus: 250_000_000,
        CpuShares: 512,
        CpusetCpus: '0',
        CpusetMems: '0',
        PidsLimit: 32,
        OomScoreAdj: 500,
        OomKillDisable: true,
        Ulimits: [
          { Name: 'nofile', Soft: 1024, Hard: 2048 },
          { Name: 'nproc', Soft: 64, Hard: 64 },
        ],
        ShmSize: 128 * MiB,
        Sysctls: { 'net.ipv4.tcp_keepalive_time': '600', 'kernel.msgmax': '65536' },
        GroupAdd: ['audio', '1234'],
        CapAdd: ['NET_ADMIN', 'SYS_TIME'],
        CapDrop: ['MKNOD'],
        SecurityOpt: ['no-new-privileges:true', 'apparmor=unconfined'],
        Init: true,
        ReadonlyRootfs: true,
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
        Binds: ['/tmp:/host-tmp:ro,rslave', `${c.volume}:/named`],
        Mounts: [
          {
            Type: 'bind',
            Source: '/tmp',
            Target: '/bind-nr',
            BindOptions: { Propagation: 'rshared', NonRecursive: true },
          },
          {
            Type: 'volume',
            Target: '/vol-opts',
            VolumeOptions: {
              NoCopy: true,
              Labels: labelOf(c),
              DriverConfig: {
                Name: 'local',
                Options: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m,uid=1000' },
              },
            },
          },
          { Type: 'volume', Source: c.volume, Target: '/ro', ReadOnly: true },
          { Type: 'tmpfs', Target: '/scratch', TmpfsOptions: { SizeBytes: 2 * MiB, Mode: 0o1770 } },
        ],
        Tmpfs: { '/run': 'rw,noexec,nosuid,size=65536k' },
        Devices: [
          { PathOnHost: '/dev/null', PathInContainer: '/dev/berth-null', CgroupPermissions: 'rw' },
          { PathOnHost: '/dev/zero', PathInContainer: '/dev/zero', CgroupPermissions: 'rwm' },
        ],
        DeviceCgroupRules: ['c 1:3 mr'],
        DeviceRequests: [
          { Driver: '', Count: -1, Capabilities: [['gpu']] },
          { Driver: 'nvidia', DeviceIDs: ['0', '1'], Capabilities: [['compute', 'gpu']] },
          { Count: 2, Capabilities: [['gpu']], Options: { a: '1', b: 'x,y' } },
        ],
        BlkioWeight: 300,
        BlkioWeightDevice: [{ Path: '/dev/null', Weight: 200 }],
        BlkioDeviceReadBps: [{ Path: '/dev/null', Rate: MiB }],
        BlkioDeviceWriteBps: [{ Path: '/dev/zero', Rate: 2 * MiB }],
        BlkioDeviceReadIOps: [{ Path: '/dev/null', Rate: 100 }],
        BlkioDeviceWriteIOps: [{ Path: '/dev/zero', Rate: 200 }],
      },
      NetworkingConfig: {
        EndpointsConfig: {
          [c.network]: {
            IPAMConfig: {
              IPv4Address: '10.214.9.42',
              IPv6Address: 'fd00:214:9::42',
              LinkLocalIPs: ['169.254.9.42'],
            },
            Aliases: ['web', 'www'],
            Links: [`${c.helperName}:db`],
          },
        },
      },
    }),
  },
  {
    name: 'namespaces',
    body: (c) => ({
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: labelOf(c),
      ExposedPorts: { '7000/tcp': {}, '7001/udp': {} },
      Healthcheck: { Test: ['NONE'] },
      HostConfig: {
        IpcMode: 'shareable',
        PidMode: 'host',
        UTSMode: 'host',
        UsernsMode: 'host',
        CgroupnsMode: 'private',
        Runtime: 'io.containerd.runc.v2',
        Isolation: 'default',
        CgroupParent: 'berth-test-parent',
        Memory: 128 * MiB,
        MemorySwap: -1,
        KernelMemory: 64 * MiB,
        CpuPeriod: 100_000,
        CpuQuota: 50_000,
        CpuRealtimePeriod: 1_000_000,
        CpuRealtimeRuntime: 950_000,
        Links: [`${c.helperName}:db`],
        PublishAllPorts: true,
        VolumesFrom: [`${c.helperName}:ro`],
        VolumeDriver: 'local',
        AutoRemove: true,
        LogConfig: { Type: 'none', Config: {} },
        RestartPolicy: { Name: 'no' },
      },
    }),
  },
  {
    name: 'joined',
    body: (c) => ({
      Image: TEST_IMAGE,
      Labels: labelOf(c),
      HostConfig: {
        NetworkMode: `container:${c.helperId}`,
        IpcMode: `container:${c.helperId}`,
        PidMode: `container:${c.helperId}`,
        RestartPolicy: { Name: 'unless-stopped' },
        LogConfig: { Type: 'local', Config: { 'max-size': '5m' } },
      },
    }),
  },
  {
    name: 'inherits-image',
    body: (c) => ({
      Image: c.richImage,
      Env: ['APP_MODE=container', 'EXTRA=1'],
      Labels: { ...labelOf(c), 'org.example.tier': 'overridden' },
      WorkingDir: '/root',
      Volumes: { '/extra': {} },
      Healthcheck: { Interval: 10e9 },
      HostConfig: {
        NetworkMode: 'none',
        Privileged: true,
        PortBindings: { '3000/tcp': [{ HostIp: '', HostPort: '13000' }] },
        RestartPolicy: { Name: 'always' },
      },
    }),
  },
  {
    name: 'clears-entrypoint',
    body: (c) => ({
      Image: c.richImage,
      Entrypoint: [''],
      Cmd: ['sh', '-c', 'sleep 300'],
      Labels: labelOf(c),
      Healthcheck: { Test: ['NONE'] },
      User: 'root',
      StopSignal: 'SIGTERM',
      HostConfig: { MaskedPaths: [], ReadonlyPaths: [] },
    }),
  },
  {
    name: 'new-entrypoint',
    body: (c) => ({
      Image: c.richImage,
      Entrypoint: ['sh', '-e', '-c'],
      Cmd: ['sleep 300'],
      Labels: labelOf(c),
      Healthcheck: { Test: ['CMD-SHELL', 'test -d /data'], Retries: 7 },
      HostConfig: {},
    }),
  },
  {
    name: 'mac-address',
    macAddress: true,
    body: (c) => ({
      Image: TEST_IMAGE,
      Labels: labelOf(c),
      MacAddress: '02:42:0a:d6:09:2b',
      HostConfig: {},
    }),
  },
];
