import { HostSecurity, type ContainerSpec } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { checkContainerSpec, DOCKER_DEFAULT_CAPABILITIES } from '../container-policy.js';
import { cleanHostPath, isUnder, socketsExposedBy } from '../host-paths.js';

const DEFAULTS = HostSecurity.parse({});
const spec = (more: Partial<ContainerSpec>): ContainerSpec => ({ image: 'busybox', ...more });
const bind = (source: string, readOnly = false) => ({
  type: 'bind' as const,
  source,
  target: '/mnt',
  readOnly,
});
const fields = (s: ContainerSpec, policy = DEFAULTS, context = {}) =>
  checkContainerSpec(policy, s, 'operator', context).map((v) => `${v.field} ${v.setting}`);

describe('host paths', () => {
  it('folds .., ., repeated and trailing slashes', () => {
    expect(cleanHostPath('/srv/data/')).toBe('/srv/data');
    expect(cleanHostPath('/srv//data/./x/..')).toBe('/srv/data');
    expect(cleanHostPath('/srv/data/../../etc')).toBe('/etc');
    expect(cleanHostPath('/../..')).toBe('/');
    expect(cleanHostPath('//')).toBe('/');
  });
  it('compares by whole segments', () => {
    expect(isUnder('/srv/data', '/srv/data')).toBe(true);
    expect(isUnder('/srv/data/a', '/srv/data')).toBe(true);
    expect(isUnder('/srv/database', '/srv/data')).toBe(false);
    expect(isUnder('/srv', '/srv/data')).toBe(false);
    expect(isUnder('/anything', '/')).toBe(true);
  });
  it('finds the sockets a bind reaches, by /run and /var/run alike', () => {
    expect(socketsExposedBy('/', [])).toContain('/var/run/docker.sock');
    expect(socketsExposedBy('/run', [])).toContain('/run/docker.sock');
    expect(socketsExposedBy('/var', [])).toContain('/var/run/docker.sock');
    expect(socketsExposedBy('/run/containerd', [])).toContain('/run/containerd/containerd.sock');
    expect(socketsExposedBy('/tmp/engine', ['/tmp/engine/docker.sock'])).toEqual([
      '/tmp/engine/docker.sock',
    ]);
    expect(socketsExposedBy('/srv', [])).toEqual([]);
  });
});

describe('checkContainerSpec', () => {
  it('allows a plain container and never restricts admins', () => {
    const everything = spec({
      mounts: [bind('/')],
      capAdd: ['ALL'],
      devices: [{ hostPath: '/dev/mem', permissions: 'rwm' }],
      networks: [{ name: 'host' }],
      pidMode: 'host',
      ipcMode: 'host',
      utsMode: 'host',
      usernsMode: 'host',
      cgroupnsMode: 'host',
      securityOpt: ['seccomp=unconfined'],
      sysctls: { 'net.ipv4.ip_forward': '1' },
    });
    expect(checkContainerSpec(DEFAULTS, everything, 'admin')).toEqual([]);
    expect(fields(everything)).toHaveLength(11);
    expect(checkContainerSpec(DEFAULTS, everything, 'viewer')).toHaveLength(11);
    expect(
      fields(
        spec({
          mounts: [
            { type: 'volume', source: 'data', target: '/data', readOnly: false },
            { type: 'tmpfs', target: '/tmp' },
          ],
          networks: [{ name: 'bridge' }, { name: 'app' }],
          ipcMode: 'shareable',
          pidMode: 'container:other',
          cgroupnsMode: 'private',
          capDrop: ['ALL'],
        }),
      ),
    ).toEqual([]);
  });

  it('refuses every bind mount by default, naming the field and the setting', () => {
    const [violation] = checkContainerSpec(
      DEFAULTS,
      spec({ mounts: [bind('/srv/data')] }),
      'operator',
    );
    expect(violation).toEqual({
      field: 'mounts.0.source',
      setting: 'bindMounts',
      message:
        'The bind mount of /srv/data is not allowed: host setting "bindMounts" allows no bind mounts',
    });
  });

  it('allows binds only under the listed paths, whatever .. or trailing slashes say', () => {
    const policy = HostSecurity.parse({ bindMounts: ['/srv/data/'] });
    const sources = [
      ['/srv/data', true],
      ['/srv/data/', true],
      ['/srv/data/app/logs', true],
      ['/srv//data//x/', true],
      ['/srv/data/../data/x', true],
      ['/srv/data/..', false],
      ['/srv/data/../../etc', false],
      ['/srv/database', false],
      ['/srv', false],
      ['/', false],
      ['/etc', false],
    ] as const;
    for (const [source, allowed] of sources)
      expect(fields(spec({ mounts: [bind(source)] }), policy), source).toEqual(
        allowed ? [] : ['mounts.0.source bindMounts'],
      );
    const [v] = checkContainerSpec(policy, spec({ mounts: [bind('/etc')] }), 'operator');
    expect(v?.message).toContain('allows only paths under /srv/data/');
  });

  it('refuses the engine socket even under an allowed path, and a folder that holds it', () => {
    const anyPath = HostSecurity.parse({ bindMounts: ['/'] });
    expect(fields(spec({ mounts: [bind('/srv')] }), anyPath)).toEqual([]);
    for (const source of [
      '/',
      '/var/run/docker.sock',
      '/run/docker.sock',
      '/var/run',
      '/var/run/',
      '/run',
      '/var',
      '/var/lib/../run/docker.sock',
      '/run/containerd/containerd.sock',
    ])
      expect(fields(spec({ mounts: [bind(source)] }), anyPath), source).toEqual([
        'mounts.0.source engineSocket',
      ]);
    const [v] = checkContainerSpec(anyPath, spec({ mounts: [bind('/')] }), 'operator');
    expect(v?.message).toBe(
      'The bind mount of / contains the engine socket /var/run/docker.sock, which is root on the host: host setting "engineSocket" does not allow it',
    );
    // This host's own socket, wherever its engine keeps it.
    expect(
      fields(spec({ mounts: [bind('/tmp/e')] }), anyPath, { engineSockets: ['/tmp/e/d.sock'] }),
    ).toEqual(['mounts.0.source engineSocket']);
  });

  it('lets engineSocket allow the socket itself, but not a folder around it unless bindMounts does', () => {
    const socketOnly = HostSecurity.parse({ engineSocket: true });
    expect(fields(spec({ mounts: [bind('/var/run/docker.sock', true)] }), socketOnly)).toEqual([]);
    expect(fields(spec({ mounts: [bind('/run')] }), socketOnly)).toEqual([
      'mounts.0.source bindMounts',
    ]);
    const both = HostSecurity.parse({ engineSocket: true, bindMounts: ['/run'] });
    expect(fields(spec({ mounts: [bind('/run')] }), both)).toEqual([]);
  });

  it("allows Docker's default capabilities, refuses others unless listed, ALL only if ALL is", () => {
    for (const cap of DOCKER_DEFAULT_CAPABILITIES)
      expect(fields(spec({ capAdd: [cap, `CAP_${cap}`] }))).toEqual([]);
    expect(fields(spec({ capAdd: ['CHOWN', 'SYS_ADMIN', 'ALL'] }))).toEqual([
      'capAdd.1 capabilities',
      'capAdd.2 capabilities',
    ]);
    const netAdmin = HostSecurity.parse({ capabilities: ['NET_ADMIN'] });
    expect(fields(spec({ capAdd: ['NET_ADMIN', 'CAP_NET_ADMIN'] }), netAdmin)).toEqual([]);
    expect(fields(spec({ capAdd: ['SYS_ADMIN', 'ALL'] }), netAdmin)).toEqual([
      'capAdd.0 capabilities',
      'capAdd.1 capabilities',
    ]);
    expect(
      fields(spec({ capAdd: ['SYS_ADMIN', 'ALL'] }), HostSecurity.parse({ capabilities: ['ALL'] })),
    ).toEqual([]);
    const [v] = checkContainerSpec(DEFAULTS, spec({ capAdd: ['SYS_ADMIN'] }), 'operator');
    expect(v?.message).toBe(
      'Adding the capability SYS_ADMIN is not allowed: host setting "capabilities" allows none beyond Docker\'s defaults',
    );
  });

  it('refuses devices unless under a listed path', () => {
    const mem = { hostPath: '/dev/mem', permissions: 'rwm' };
    expect(fields(spec({ devices: [mem] }))).toEqual(['devices.0.hostPath devices']);
    const dri = HostSecurity.parse({ devices: ['/dev/dri'] });
    expect(
      fields(spec({ devices: [{ hostPath: '/dev/dri/renderD128', permissions: 'rw' }] }), dri),
    ).toEqual([]);
    expect(
      fields(spec({ devices: [mem, { hostPath: '/dev/dri/../mem', permissions: 'r' }] }), dri),
    ).toEqual(['devices.0.hostPath devices', 'devices.1.hostPath devices']);
  });

  it("refuses each of the host's namespaces unless listed", () => {
    const cases: [Partial<ContainerSpec>, string][] = [
      [{ networks: [{ name: 'host' }] }, 'networks.0.name hostNamespaces'],
      [{ pidMode: 'host' }, 'pidMode hostNamespaces'],
      [{ ipcMode: 'host' }, 'ipcMode hostNamespaces'],
      [{ utsMode: 'host' }, 'utsMode hostNamespaces'],
      [{ usernsMode: 'host' }, 'usernsMode hostNamespaces'],
      [{ cgroupnsMode: 'host' }, 'cgroupnsMode hostNamespaces'],
    ];
    for (const [more, want] of cases) expect(fields(spec(more))).toEqual([want]);
    const pid = HostSecurity.parse({ hostNamespaces: ['pid'] });
    expect(fields(spec({ pidMode: 'host', ipcMode: 'host' }), pid)).toEqual([
      'ipcMode hostNamespaces',
    ]);
    // The host network named by its id counts as the host network.
    expect(
      fields(spec({ networks: [{ name: 'abc123' }] }), DEFAULTS, {
        hostNetworks: ['host', 'abc123'],
      }),
    ).toEqual(['networks.0.name hostNamespaces']);
    const [v] = checkContainerSpec(DEFAULTS, spec({ pidMode: 'host' }), 'operator');
    expect(v?.message).toBe(
      'PID mode host is not allowed: host setting "hostNamespaces" does not include "pid"',
    );
  });

  it('allows no-new-privileges and refuses every option that loosens or swaps confinement', () => {
    expect(
      fields(
        spec({
          securityOpt: ['no-new-privileges', 'no-new-privileges:true', 'no-new-privileges=true'],
        }),
      ),
    ).toEqual([]);
    const loosening = [
      'seccomp=unconfined',
      'seccomp:unconfined',
      'apparmor=unconfined',
      'label=disable',
      'label:disable',
      'label=type:spc_t',
      'no-new-privileges=false',
      'systempaths=unconfined',
      'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}',
    ];
    expect(fields(spec({ securityOpt: loosening }))).toEqual(
      loosening.map((_, i) => `securityOpt.${i} securityOptions`),
    );
    expect(
      fields(spec({ securityOpt: loosening }), HostSecurity.parse({ securityOptions: true })),
    ).toEqual([]);
  });

  it('refuses sysctls unless allowed', () => {
    const s = spec({ sysctls: { 'net.ipv4.ip_forward': '1', 'kernel.shm_rmid_forced': '1' } });
    expect(fields(s)).toEqual([
      'sysctls.net.ipv4.ip_forward sysctls',
      'sysctls.kernel.shm_rmid_forced sysctls',
    ]);
    expect(fields(s, HostSecurity.parse({ sysctls: true }))).toEqual([]);
  });

  it('lets a recreate keep what the container already has, unchanged, and nothing more', () => {
    const inherited = spec({
      mounts: [bind('/', false), bind('/srv/ro', true)],
      capAdd: ['SYS_ADMIN'],
      devices: [{ hostPath: '/dev/mem', permissions: 'rw' }],
      pidMode: 'host',
      securityOpt: ['seccomp=unconfined'],
      sysctls: { 'net.ipv4.ip_forward': '1' },
    });
    expect(fields({ ...inherited, image: 'busybox:2' }, DEFAULTS, { inherited })).toEqual([]);
    // Tightening what is kept is fine: read-only, fewer device rights.
    expect(
      fields(
        spec({ mounts: [bind('/', true)], devices: [{ hostPath: '/dev/mem', permissions: 'r' }] }),
        DEFAULTS,
        { inherited },
      ),
    ).toEqual([]);
    // Anything loosened, moved or added is asked for, so it is checked.
    const changed = spec({
      mounts: [bind('/srv/ro', false), { ...bind('/'), target: '/elsewhere' }],
      capAdd: ['SYS_ADMIN', 'NET_ADMIN'],
      devices: [{ hostPath: '/dev/mem', permissions: 'rwm' }],
      pidMode: 'host',
      ipcMode: 'host',
      securityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      sysctls: { 'net.ipv4.ip_forward': '0' },
    });
    expect(fields(changed, DEFAULTS, { inherited })).toEqual([
      'mounts.0.source bindMounts',
      'mounts.1.source bindMounts',
      'capAdd.1 capabilities',
      'devices.0.hostPath devices',
      'ipcMode hostNamespaces',
      'securityOpt.1 securityOptions',
      'sysctls.net.ipv4.ip_forward sysctls',
    ]);
    // A container made with ALL covers any single capability.
    expect(
      fields(spec({ capAdd: ['SYS_ADMIN'] }), DEFAULTS, { inherited: spec({ capAdd: ['ALL'] }) }),
    ).toEqual([]);
  });
});
