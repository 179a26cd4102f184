import type { ContainerCreated } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainersApi } from '../../../docker/containers-api.js';
import { dockerRunArgs, dockerRunCommand } from '../../../docker/docker-run-command.js';
import { parseDockerRunArgs } from '../../../docker/docker-run-parser.js';
import type { RawContainerInspect } from '../../../docker/engine-types.js';
import { setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';

/** What two containers made alike must share (names, ids and timestamps aside). */
function essentials(i: RawContainerInspect): Record<string, unknown> {
  const net = Object.entries(i.NetworkSettings.Networks ?? {}).map(([name, s]) => ({
    name,
    ip: s.IPAMConfig?.IPv4Address ?? null,
    aliases: (s.Aliases ?? []).filter((a) => !i.Id.startsWith(a) && a !== i.Name.slice(1)).sort(),
  }));
  const h = i.HostConfig;
  return {
    image: i.Config.Image,
    cmd: i.Config.Cmd,
    entrypoint: i.Config.Entrypoint,
    env: [...(i.Config.Env ?? [])].sort(),
    labels: i.Config.Labels,
    user: i.Config.User,
    workingDir: i.Config.WorkingDir,
    hostname: i.Config.Hostname,
    exposed: Object.keys(i.Config.ExposedPorts ?? {}).sort(),
    healthcheck: i.Config.Healthcheck,
    stopTimeout: i.Config.StopTimeout,
    portBindings: h.PortBindings,
    restart: h.RestartPolicy,
    memory: h.Memory,
    nanoCpus: h.NanoCpus,
    pids: h.PidsLimit,
    capAdd: h.CapAdd,
    capDrop: h.CapDrop,
    mounts: [...i.Mounts]
      .map((m) => `${m.Type}:${m.Name ?? m.Source}:${m.Destination}:${m.RW}`)
      .sort(),
    tmpfs: (h.Mounts ?? [])
      .filter((m) => m.Type === 'tmpfs')
      .map((m) => `${m.Target}:${m.TmpfsOptions?.SizeBytes ?? ''}`),
    networkMode: h.NetworkMode,
    networks: net,
  };
}

describe('the docker run command Berth shows recreates the container', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let networkId = '';

  beforeAll(async () => {
    t = await startTestApp();
    const net = await fixtures.client.request<{ Id: string }>('POST', '/networks/create', {
      body: {
        Name: fixtures.name('net'),
        Labels: { [TEST_LABEL]: fixtures.runId },
        IPAM: { Config: [{ Subnet: '10.214.7.0/24' }] },
      },
    });
    networkId = net.Id;
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('as argv run through the Engine API (no shell), giving an identical configuration', async () => {
    const admin = await setupAdmin(t.app);
    const res = await admin.post('/api/hosts/local/containers', {
      name: fixtures.name('orig'),
      image: TEST_IMAGE,
      command: ['sh', '-c', 'echo "$GREETING" && sleep 300'],
      env: { GREETING: 'it\'s a "quoted" $(value)', EMPTY: '' },
      ports: [
        { containerPort: 80, hostPort: 18089, hostIp: '127.0.0.1' },
        { containerPort: 53, protocol: 'udp' },
      ],
      mounts: [
        { type: 'volume', source: fixtures.name('data'), target: '/data' },
        { type: 'bind', source: '/tmp', target: '/host-tmp', readOnly: true },
        { type: 'tmpfs', target: '/scratch', sizeBytes: 2097152 },
      ],
      networks: [
        { name: fixtures.name('net'), ipv4Address: '10.214.7.42', aliases: ['web', 'www'] },
      ],
      restartPolicy: { name: 'on-failure', maximumRetryCount: 2 },
      resources: { memoryBytes: 48 * 1024 * 1024, cpus: 0.25, pidsLimit: 32 },
      healthcheck: {
        test: ['CMD-SHELL', 'test -f /etc/passwd'],
        intervalS: 15,
        timeoutS: 2,
        retries: 4,
        startPeriodS: 1,
      },
      labels: { [TEST_LABEL]: fixtures.runId, 'app.tier': 'front end', 'with.equals': 'a=b' },
      user: 'nobody',
      workingDir: '/tmp',
      hostname: 'orig-host',
      capAdd: ['NET_ADMIN'],
      capDrop: ['MKNOD'],
      stopTimeoutS: 3,
      autoStart: false,
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<ContainerCreated>();
    const api = new ContainersApi(fixtures.client);
    const original = await api.inspect(created.container.id);
    const image = await api.inspectImage(original.Image);

    // The detail's command is the same one, shell-quoted.
    expect(created.cli).toBe(dockerRunCommand(original, image));

    const argv = dockerRunArgs(original, image);
    const nameAt = argv.indexOf('--name');
    argv[nameAt + 1] = fixtures.name('copy');
    const parsed = parseDockerRunArgs(argv);
    expect(parsed.name).toBe(fixtures.name('copy'));
    const copyId = await api.create(parsed.name, parsed.body);
    const copy = await api.inspect(copyId);

    expect(essentials(copy)).toEqual(essentials(original));
    expect(networkId).not.toBe('');
  });
});
