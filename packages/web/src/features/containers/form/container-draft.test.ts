import { ContainerCreate, ContainerSpec } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_DRAFT,
  draftFromSpec,
  draftToBody,
  issueKey,
  newMountRow,
  newPortRow,
} from './container-draft.js';
import { refusalFields } from './refusal-fields.js';

const everything = ContainerSpec.parse({
  name: 'web-1',
  image: 'registry.local:5000/app:1',
  command: ['sh', '-c', `echo "it's $HOME"; sleep 600`],
  entrypoint: ['/usr/bin/tini', '--'],
  env: { GREETING: 'hello world', EMPTY: '', WITH_EQUALS: 'a=b' },
  ports: [
    { containerPort: 80, hostPort: 8080, protocol: 'tcp' },
    { containerPort: 53, protocol: 'udp', hostIp: '127.0.0.1' },
  ],
  mounts: [
    { type: 'bind', source: '/srv/data', target: '/data', readOnly: true },
    { type: 'volume', source: 'cache', target: '/cache', readOnly: false },
    { type: 'volume', target: '/anon', readOnly: false },
    { type: 'tmpfs', target: '/tmp', sizeBytes: 64 * 1048576 },
  ],
  networks: [
    { name: 'backend', ipv4Address: '10.9.0.5', aliases: ['db', 'primary'] },
    { name: 'frontend', reservation: 'proxy' },
  ],
  restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
  resources: { memoryBytes: 256 * 1048576, cpus: 1.5, pidsLimit: 200 },
  healthcheck: {
    test: ['CMD', 'wget', '-q', '--spider', 'http://localhost/'],
    intervalS: 10,
    timeoutS: 3,
    retries: 2,
    startPeriodS: 5,
  },
  labels: { 'com.example.team': 'ops', empty: '' },
  user: '1000:1000',
  workingDir: '/app',
  hostname: 'web-host',
  capAdd: ['NET_ADMIN'],
  capDrop: ['ALL'],
  devices: [{ hostPath: '/dev/ttyUSB0', containerPath: '/dev/ttyS0', permissions: 'rw' }],
  privileged: true,
  pidMode: 'host',
  ipcMode: 'container:db',
  utsMode: 'host',
  usernsMode: 'host',
  cgroupnsMode: 'host',
  securityOpt: ['no-new-privileges', 'seccomp=unconfined'],
  sysctls: { 'net.ipv4.ip_forward': '1' },
  stopTimeoutS: 20,
  logConfig: { driver: 'json-file', options: { 'max-size': '10m' } },
  environment: 'prod',
});

/** The body the form would send for this draft, as the server's schema reads it. */
function specOf(body: Record<string, unknown>): ContainerSpec {
  const { autoStart: _a, validateSeconds: _v, ...spec } = ContainerCreate.parse(body);
  void _a;
  void _v;
  return spec;
}

describe('the container form draft', () => {
  it('fills the form from a spec and sends back exactly that spec (edit changes nothing by itself)', () => {
    expect(specOf(draftToBody(draftFromSpec(everything)))).toEqual(everything);
  });

  it('keeps a shell-form health check as one command', () => {
    const spec = ContainerSpec.parse({
      image: 'x',
      healthcheck: { test: ['CMD-SHELL', 'wget -qO- http://localhost/ || exit 1'] },
    });
    expect(specOf(draftToBody(draftFromSpec(spec))).healthcheck).toEqual(spec.healthcheck);
  });

  it('sends nothing for untouched fields', () => {
    expect(draftToBody({ ...EMPTY_DRAFT, image: 'busybox' })).toEqual({
      image: 'busybox',
      autoStart: true,
    });
  });

  it('names the row and field of a bad value, the way the form shows it', () => {
    const draft = {
      ...EMPTY_DRAFT,
      image: 'busybox',
      ports: [
        { ...newPortRow(), containerPort: '80' },
        { ...newPortRow(), containerPort: '80', hostPort: 'eighty' },
      ],
      memory: '1m',
    };
    const result = ContainerCreate.safeParse(draftToBody(draft));
    expect(result.success).toBe(false);
    const keys = result.error?.issues.map((i) => issueKey(i.path));
    expect(keys).toEqual(['ports.1.hostPort', 'resources.memoryBytes']);
    expect(result.error?.issues[0]?.message).toBe('a port number from 1 to 65535');
  });
});

describe('refusals under their fields', () => {
  it("puts each of the host policy's violations under its field, and a port conflict under its row", () => {
    const violations = [
      {
        field: 'mounts.0.source',
        setting: 'bindMounts',
        message: 'The bind mount of / is not allowed',
      },
      { field: 'capAdd.1', setting: 'capabilities', message: 'Adding SYS_ADMIN is not allowed' },
    ];
    const fields = refusalFields(
      {
        code: 'forbidden_by_host_policy',
        details: { field: 'mounts.0.source', setting: 'bindMounts', violations },
        fieldErrors: () => ({}),
      },
      [],
    );
    expect(fields).toEqual({
      'mounts.0.source': 'The bind mount of / is not allowed',
      'capAdd.1': 'Adding SYS_ADMIN is not allowed',
    });
  });
});

describe('sizes as typed', () => {
  it("reads memory and tmpfs sizes in docker's units, and names text that is not a size", () => {
    const draft = {
      ...EMPTY_DRAFT,
      image: 'busybox',
      memory: '64m',
      mounts: [{ ...newMountRow(), type: 'tmpfs' as const, target: '/tmp', size: '1.5g' }],
    };
    const body = ContainerCreate.parse(draftToBody(draft));
    expect(body.resources?.memoryBytes).toBe(67108864);
    expect(body.mounts?.[0]).toEqual({ type: 'tmpfs', target: '/tmp', sizeBytes: 1610612736 });
    const bad = ContainerCreate.safeParse(draftToBody({ ...draft, memory: 'lots' }));
    expect(bad.error?.issues.map((i) => [issueKey(i.path), i.message])).toEqual([
      ['resources.memoryBytes', 'expected a size such as 512m'],
    ]);
  });
});
