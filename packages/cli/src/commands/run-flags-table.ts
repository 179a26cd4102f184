import {
  bad,
  keyValue,
  size,
  seconds,
  integer,
  push,
  setEnv,
  envFile,
  publish,
  volume,
  mount,
  tmpfs,
  lastNetwork,
  restart,
  health,
  resources,
  capability,
  set,
  list,
  text,
  on,
  type RunFlag,
} from './run-flag-values.js';

/** The flags of `berth run`: docker run's, as far as Berth's create carries them, and the program's own. */
export const RUN_FLAGS: readonly RunFlag[] = [
  {
    long: 'detach',
    short: 'd',
    help: 'Run in the background; print the ID',
    apply: (_v, d) => void (d.detach = true),
  },
  { long: 'name', value: 'name', help: 'Name the container', apply: set('name', text) },
  {
    long: 'env',
    short: 'e',
    value: 'NAME=value',
    help: 'Set an environment variable',
    apply: (v, d) => setEnv(d, v),
  },
  {
    long: 'env-file',
    value: 'file',
    help: 'Read environment variables from a file',
    apply: envFile,
  },
  {
    long: 'publish',
    short: 'p',
    value: 'ports',
    help: 'Publish [ip:][host:]container[/proto]',
    apply: publish,
  },
  {
    long: 'expose',
    value: 'port',
    help: 'Expose a port to other containers',
    apply: list('expose'),
  },
  {
    long: 'volume',
    short: 'v',
    value: 'src:dst[:ro]',
    help: 'Mount a volume or host path',
    apply: volume,
  },
  {
    long: 'mount',
    value: 'spec',
    help: 'Mount (type=bind|volume|tmpfs,source=,target=,readonly)',
    apply: mount,
  },
  { long: 'tmpfs', value: 'path[:size=]', help: 'Mount a tmpfs', apply: tmpfs },
  {
    long: 'network',
    value: 'name',
    help: 'Connect to a network',
    apply: (v, d) => push(d, 'networks', { name: v }),
  },
  {
    long: 'ip',
    value: 'ipv4',
    help: 'IPv4 address in the last --network',
    apply: (v, d, f) => void (lastNetwork(d, f).ipv4Address = v),
  },
  {
    long: 'ip6',
    value: 'ipv6',
    help: 'IPv6 address in the last --network',
    apply: (v, d, f) => void (lastNetwork(d, f).ipv6Address = v),
  },
  {
    long: 'network-alias',
    value: 'alias',
    help: 'Alias in the last --network',
    apply: (v, d, f) => {
      const network = lastNetwork(d, f);
      network.aliases = [...(network.aliases ?? []), v];
    },
  },
  {
    long: 'restart',
    value: 'policy',
    help: 'no, always, unless-stopped, on-failure[:N]',
    apply: restart,
  },
  {
    long: 'label',
    short: 'l',
    value: 'key=value',
    help: 'Set a label',
    apply: (v, d) => {
      const [key, value] = keyValue(v);
      d.body.labels = { ...d.body.labels, [key]: value ?? '' };
    },
  },
  {
    long: 'user',
    short: 'u',
    value: 'user[:group]',
    help: 'Run as this user',
    apply: set('user', text),
  },
  { long: 'group-add', value: 'group', help: 'Add a supplementary group', apply: list('groupAdd') },
  {
    long: 'workdir',
    short: 'w',
    value: 'dir',
    help: 'Working directory',
    apply: set('workingDir', text),
  },
  {
    long: 'entrypoint',
    value: 'command',
    help: "Override the image's entrypoint",
    apply: set('entrypoint', (v) => (v === '' ? [] : [v])),
  },
  { long: 'hostname', short: 'h', value: 'name', help: 'Host name', apply: set('hostname', text) },
  { long: 'domainname', value: 'name', help: 'Domain name', apply: set('domainname', text) },
  {
    long: 'cpus',
    value: 'n',
    help: 'CPUs',
    apply: (v, d, f) => void (resources(d).cpus = Number(v) || bad(f, v, 'a number of CPUs')),
  },
  {
    long: 'memory',
    short: 'm',
    value: 'size',
    help: 'Memory limit',
    apply: (v, d, f) => void (resources(d).memoryBytes = size(f, v)),
  },
  {
    long: 'memory-reservation',
    value: 'size',
    help: 'Memory soft limit',
    apply: (v, d, f) => void (resources(d).memoryReservationBytes = size(f, v)),
  },
  {
    long: 'pids-limit',
    value: 'n',
    help: 'Process limit',
    apply: (v, d, f) => void (resources(d).pidsLimit = integer(f, v)),
  },
  {
    long: 'shm-size',
    value: 'size',
    help: 'Size of /dev/shm',
    apply: set('shmSizeBytes', (v, f) => size(f, v)),
  },
  {
    long: 'ulimit',
    value: 'name=soft[:hard]',
    help: 'Set a ulimit',
    apply: (v, d, f) => {
      const [name, limits = ''] = keyValue(v);
      const match = /^(-?\d+)(?::(-?\d+))?$/.exec(limits);
      if (!match) bad(f, v, 'name=soft[:hard]');
      const soft = Number(match[1]);
      push(d, 'ulimits', { name, soft, hard: match[2] === undefined ? soft : Number(match[2]) });
    },
  },
  { long: 'privileged', help: 'Give all capabilities (admins only)', apply: set('privileged', on) },
  { long: 'cap-add', value: 'cap', help: 'Add a capability', apply: list('capAdd', capability) },
  { long: 'cap-drop', value: 'cap', help: 'Drop a capability', apply: list('capDrop', capability) },
  {
    long: 'device',
    value: 'host[:container[:rwm]]',
    help: 'Add a host device',
    apply: (v, d, f) => {
      const [hostPath = '', second, third] = v.split(':');
      if (!hostPath.startsWith('/')) bad(f, v, 'a device like /dev/dri');
      const modeOnly = second !== undefined && /^[rwm]{1,3}$/.test(second) && third === undefined;
      const containerPath = modeOnly ? undefined : second;
      push(d, 'devices', {
        hostPath,
        ...(containerPath ? { containerPath } : {}),
        permissions: (modeOnly ? second : third) ?? 'rwm',
      });
    },
  },
  { long: 'security-opt', value: 'option', help: 'Security option', apply: list('securityOpt') },
  {
    long: 'sysctl',
    value: 'name=value',
    help: 'Kernel parameter',
    apply: (v, d, f) => {
      const [name, value] = keyValue(v);
      if (value === undefined) bad(f, v, 'name=value');
      d.body.sysctls = { ...d.body.sysctls, [name]: value };
    },
  },
  {
    long: 'pid',
    value: 'mode',
    help: 'PID namespace (host, container:<name>)',
    apply: set('pidMode', text),
  },
  { long: 'ipc', value: 'mode', help: 'IPC namespace', apply: set('ipcMode', text) },
  { long: 'uts', value: 'mode', help: 'UTS namespace (host)', apply: set('utsMode', text) },
  { long: 'userns', value: 'mode', help: 'User namespace (host)', apply: set('usernsMode', text) },
  {
    long: 'cgroupns',
    value: 'mode',
    help: 'Cgroup namespace (host, private)',
    apply: set('cgroupnsMode', text),
  },
  {
    long: 'health-cmd',
    value: 'command',
    help: 'Health check command (run by a shell)',
    apply: (v, d) => void (health(d).test = ['CMD-SHELL', v]),
  },
  {
    long: 'health-interval',
    value: 'duration',
    help: 'Time between checks',
    apply: (v, d, f) => void (health(d).intervalS = seconds(f, v)),
  },
  {
    long: 'health-timeout',
    value: 'duration',
    help: 'Time a check may take',
    apply: (v, d, f) => void (health(d).timeoutS = seconds(f, v)),
  },
  {
    long: 'health-retries',
    value: 'n',
    help: 'Failures before unhealthy',
    apply: (v, d, f) => void (health(d).retries = integer(f, v)),
  },
  {
    long: 'health-start-period',
    value: 'duration',
    help: 'Grace time after start',
    apply: (v, d, f) => void (health(d).startPeriodS = seconds(f, v)),
  },
  {
    long: 'no-healthcheck',
    help: "Disable the image's health check",
    apply: (_v, d) => void (d.body.healthcheck = { test: ['NONE'] }),
  },
  {
    long: 'stop-timeout',
    value: 'seconds',
    help: 'Seconds before SIGKILL on stop',
    apply: set('stopTimeoutS', (v, f) => integer(f, v)),
  },
  {
    long: 'stop-signal',
    value: 'signal',
    help: 'Signal to stop the container',
    apply: set('stopSignal', text),
  },
  { long: 'init', help: 'Run an init as PID 1', apply: set('init', on) },
  { long: 'read-only', help: 'Read-only root filesystem', apply: set('readOnly', on) },
  {
    long: 'add-host',
    value: 'name:ip',
    help: 'Add a line to /etc/hosts',
    apply: list('extraHosts'),
  },
  { long: 'dns', value: 'ip', help: 'DNS server', apply: list('dns') },
  { long: 'dns-search', value: 'domain', help: 'DNS search domain', apply: list('dnsSearch') },
  { long: 'dns-option', value: 'option', help: 'DNS option', apply: list('dnsOptions') },
  {
    long: 'log-driver',
    value: 'driver',
    help: 'Logging driver',
    apply: (v, d) => void (d.body.logConfig = { ...d.body.logConfig, driver: v }),
  },
  {
    long: 'log-opt',
    value: 'key=value',
    help: 'Logging driver option',
    apply: (v, d, f) => {
      const [key, value] = keyValue(v);
      if (value === undefined) bad(f, v, 'key=value');
      const config = d.body.logConfig ?? { driver: 'json-file' };
      d.body.logConfig = { ...config, options: { ...config.options, [key]: value } };
    },
  },
  {
    long: 'interactive',
    short: 'i',
    help: 'Keep stdin open (attached without -d: this terminal’s input goes to it)',
    apply: set('openStdin', on),
  },
  { long: 'tty', short: 't', help: 'Allocate a terminal', apply: set('tty', on) },
  {
    long: 'rm',
    help: 'Remove the container when it exits (attached runs)',
    apply: (_v, d) => void (d.remove = true),
  },
  {
    long: 'validate',
    value: 'seconds',
    help: 'Berth: watch so long after start, report a failure',
    apply: (v, d, f) => void (d.validateSeconds = integer(f, v)),
  },
  {
    long: 'dry-run',
    help: 'Print the docker command and the request; create nothing',
    apply: (_v, d) => void (d.globals.dryRun = true),
  },
  {
    long: 'host',
    short: 'H',
    value: 'host',
    help: 'Act on this Berth host',
    apply: (v, d) => void (d.globals.host = v),
  },
  {
    long: 'context',
    value: 'name',
    help: 'Use this context',
    apply: (v, d) => void (d.globals.context = v),
  },
  {
    long: 'ca-file',
    value: 'file',
    help: 'Trust a server certificate signed by this CA',
    apply: (v, d) => void (d.globals.caFile = v),
  },
  {
    long: 'fingerprint',
    value: 'sha256',
    help: 'Trust only this server certificate',
    apply: (v, d) => void (d.globals.fingerprint = v),
  },
  { long: 'help', help: 'Show this help', apply: (_v, d) => void (d.help = true) },
];
