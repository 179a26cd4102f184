import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../commands/run-flags.js';

describe('berth run words', () => {
  it('reads docker run options up to the image: clusters, inline values, the command untouched', () => {
    const request = parseRunArgs([
      '-dit',
      '--name=web',
      '-p8080:80',
      '-p',
      '127.0.0.1::53/udp',
      '-v',
      'data:/data:ro',
      '--mount',
      'type=tmpfs,target=/run,tmpfs-size=64m',
      '--network',
      'backend',
      '--ip',
      '10.0.0.5',
      '--network-alias',
      'web',
      '--health-cmd',
      'wget -q localhost',
      '--health-interval=30s',
      '--cap-add',
      'cap_net_admin',
      '-H',
      'edge',
      'nginx:1.27',
      'ls',
      '-l',
      '--help',
    ]);
    expect(request.detach).toBe(true);
    expect(request.help).toBe(false);
    expect(request.globals).toEqual({ host: 'edge' });
    expect(request.body).toMatchObject({
      image: 'nginx:1.27',
      command: ['ls', '-l', '--help'],
      name: 'web',
      openStdin: true,
      tty: true,
      ports: [
        { containerPort: 80, hostPort: 8080, protocol: 'tcp' },
        { containerPort: 53, protocol: 'udp', hostIp: '127.0.0.1' },
      ],
      mounts: [
        { type: 'volume', source: 'data', target: '/data', readOnly: true },
        { type: 'tmpfs', target: '/run', sizeBytes: 64 * 1024 * 1024 },
      ],
      networks: [{ name: 'backend', ipv4Address: '10.0.0.5', aliases: ['web'] }],
      healthcheck: { test: ['CMD-SHELL', 'wget -q localhost'], intervalS: 30 },
      capAdd: ['NET_ADMIN'],
      autoStart: true,
      validateSeconds: 0,
    });
  });

  it('names a bad value, a flag Berth lacks, and --rm with -d', () => {
    expect(() => parseRunArgs(['-p', 'eighty', 'nginx'])).toThrow('-p: "eighty" is not');
    expect(() => parseRunArgs(['-P', 'nginx'])).toThrow('-P is a docker run flag Berth does not');
    expect(() => parseRunArgs(['--ip', '10.0.0.5', 'nginx'])).toThrow('needs a --network');
    expect(() => parseRunArgs(['--rm', '-d', 'nginx'])).toThrow('--rm with --detach');
    expect(() => parseRunArgs(['--name'])).toThrow('--name needs a value');
  });
});
