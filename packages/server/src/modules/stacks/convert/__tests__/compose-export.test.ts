import type { ComposeExport, ContainerDetail, FromRunResult } from '@berth/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ApiClient, setupAdmin, userSession } from '../../../../testing/api-client.js';
import { freePort } from '../../../../testing/free-port.js';
import { startTestApp, type TestApp } from '../../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../../testing/test-engine.js';

interface ComposeDocument {
  services: Record<string, Record<string, unknown>>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
}

/**
 * Containers created through Berth's API and straight through the Engine API, exported as a
 * compose file: the file parses, its services hold what was created (no more: nothing the
 * image or the engine filled in), and the same container read back as its `docker run` and
 * converted again gives the same service.
 */
describe('containers exported as a compose file, on a real engine', () => {
  const fixtures = new EngineFixtures();
  const bindDir = mkdtempSync(join(tmpdir(), 'berth-export-'));
  const base = '/api/hosts/local/compose';
  const name = (n: string): string => fixtures.name(n);
  const network = name('net');
  const volume = name('vol');
  let t: TestApp;
  let admin: ApiClient;
  let viewer: ApiClient;
  let port: number;

  async function exported(query: string, caller = admin): Promise<ComposeExport> {
    const res = await caller.get(`${base}/export?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ComposeExport>();
  }

  async function fromRun(command: string): Promise<FromRunResult> {
    const res = await viewer.post(`${base}/from-run`, { command });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<FromRunResult>();
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    viewer = await userSession(admin, 'viewy', 'viewer');
    const allowBinds = await admin.request('PUT', '/api/hosts/local/security', {
      bindMounts: [bindDir],
    });
    expect(allowBinds.statusCode, allowBinds.body).toBe(200);
    const labels = { [TEST_LABEL]: fixtures.runId };
    await fixtures.client.request('POST', '/networks/create', {
      body: { Name: network, Labels: labels },
    });
    await fixtures.client.request('POST', '/volumes/create', {
      body: { Name: volume, Labels: labels },
    });
    port = await freePort();
    const web = await admin.post('/api/hosts/local/containers', {
      name: name('web'),
      image: TEST_IMAGE,
      command: ['httpd', '-f', '-p', '8080'],
      env: { GREETING: 'hello world', PRICE: '$5' },
      ports: [
        { containerPort: 8080, hostPort: port, hostIp: '127.0.0.1' },
        { containerPort: 5353, protocol: 'udp' },
      ],
      mounts: [
        { type: 'bind', source: bindDir, target: '/data', readOnly: true },
        { type: 'volume', source: volume, target: '/vol' },
        { type: 'tmpfs', target: '/scratch', sizeBytes: 1048576 },
      ],
      networks: [{ name: network, aliases: ['web'] }],
      restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
      resources: { memoryBytes: 64 * 1024 * 1024, cpus: 0.5, pidsLimit: 64 },
      healthcheck: {
        test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/'],
        intervalS: 1,
        retries: 3,
      },
      labels: { ...labels, 'com.example.role': 'frontend' },
      hostname: 'webhost',
      workingDir: '/var/www',
      capDrop: ['NET_RAW'],
      stopTimeoutS: 1,
      environment: 'prod',
      autoStart: false,
      validateSeconds: 0,
    });
    expect(web.statusCode, web.body).toBe(201);
    for (const [service, environment] of [
      ['worker', 'prod'],
      ['tool', 'dev'],
    ] as const) {
      const res = await admin.post('/api/hosts/local/containers', {
        name: name(service),
        image: TEST_IMAGE,
        labels,
        environment,
        autoStart: false,
        validateSeconds: 0,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    // A container compose made: its project and service name it, not its container name.
    await fixtures.client.request('POST', '/containers/create', {
      query: { name: name('shop-db-1') },
      body: {
        Image: TEST_IMAGE,
        Cmd: ['sleep', '300'],
        Labels: {
          ...labels,
          'com.docker.compose.project': name('shop'),
          'com.docker.compose.service': 'db',
          'com.docker.compose.container-number': '1',
          'com.docker.compose.oneoff': 'False',
        },
      },
    });
    // An entrypoint of its own with the image's command: the engine would drop that command.
    await fixtures.client.request('POST', '/containers/create', {
      query: { name: name('entry') },
      body: { Image: TEST_IMAGE, Entrypoint: ['sh', '-c'], Cmd: ['sh'], Labels: labels },
    });
    // What `docker run` can give that the create form has no field for, straight to the engine.
    await fixtures.client.request('POST', '/containers/create', {
      query: { name: name('raw') },
      body: {
        Image: TEST_IMAGE,
        Cmd: ['sleep', '300'],
        Labels: labels,
        Tty: true,
        OpenStdin: true,
        Domainname: 'example.internal',
        ExposedPorts: { '9100/tcp': {} },
        StopSignal: 'SIGINT',
        Volumes: { '/anon': {} },
        HostConfig: {
          Binds: [`${volume}:/ro-vol:ro`],
          Tmpfs: { '/run': 'rw,size=1m' },
          Init: true,
          ReadonlyRootfs: true,
          ShmSize: 128 * 1024 * 1024,
          Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
          Dns: ['9.9.9.9'],
          DnsSearch: ['corp.example'],
          DnsOptions: ['ndots:2'],
          ExtraHosts: ['db.local:10.0.0.5'],
          GroupAdd: ['123'],
          CapAdd: ['NET_ADMIN'],
          IpcMode: 'shareable',
          MemoryReservation: 32 * 1024 * 1024,
          OomScoreAdj: 100,
          CpuShares: 512,
        },
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    rmSync(bindDir, { recursive: true, force: true });
  });

  it('exports every container with one environment tag, each service holding what was created', async () => {
    const result = await exported('environment=prod');
    const keys = [name('web'), name('worker')];
    expect(result.services.map((s) => [s.name, s.container])).toEqual(keys.map((k) => [k, k]));
    const document = parse(result.yaml) as ComposeDocument;
    expect(Object.keys(document.services)).toEqual(keys);
    expect(document.services[name('web')]).toEqual({
      image: TEST_IMAGE,
      container_name: name('web'),
      hostname: 'webhost',
      restart: 'on-failure:3',
      working_dir: '/var/www',
      command: ['httpd', '-f', '-p', '8080'],
      // The image's PATH is not the container's choice; a literal $ is doubled for compose.
      environment: { GREETING: 'hello world', PRICE: '$$5' },
      ports: [`127.0.0.1:${port}:8080`, '5353/udp'],
      volumes: [
        `${bindDir}:/data:ro`,
        `${volume}:/vol`,
        { type: 'tmpfs', target: '/scratch', tmpfs: { size: 1048576 } },
      ],
      networks: { [network]: { aliases: ['web'] } },
      healthcheck: {
        test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/'],
        interval: '1s',
        retries: 3,
      },
      labels: {
        [TEST_LABEL]: fixtures.runId,
        'com.example.role': 'frontend',
        'io.berth.environment': 'prod',
      },
      cap_drop: ['NET_RAW'],
      stop_grace_period: '1s',
      deploy: { resources: { limits: { cpus: '0.5', memory: '64m', pids: 64 } } },
    });
    expect(document.services[name('worker')]).toEqual({
      image: TEST_IMAGE,
      container_name: name('worker'),
      labels: { [TEST_LABEL]: fixtures.runId, 'io.berth.environment': 'prod' },
    });
    expect(document.networks).toEqual({ [network]: { name: network, external: true } });
    expect(document.volumes).toEqual({ [volume]: { name: volume } });
    expect(result.services[0]?.definition).toEqual(document.services[name('web')]);
    expect(result.warnings).toEqual([]);
  });

  it('exports what docker run gives beyond the create form, leaving out what the engine chose', async () => {
    const result = await exported(`containers=${name('raw')}`);
    expect(parse(result.yaml)).toEqual({
      services: {
        [name('raw')]: {
          image: TEST_IMAGE,
          container_name: name('raw'),
          command: ['sleep', '300'],
          volumes: [`${volume}:/ro-vol:ro`, '/anon'],
          labels: { [TEST_LABEL]: fixtures.runId },
          tty: true,
          stdin_open: true,
          init: true,
          read_only: true,
          stop_signal: 'SIGINT',
          shm_size: '128m',
          tmpfs: ['/run:rw,size=1m'],
          ulimits: { nofile: { soft: 1024, hard: 2048 } },
          dns: ['9.9.9.9'],
          dns_search: ['corp.example'],
          dns_opt: ['ndots:2'],
          extra_hosts: ['db.local:10.0.0.5'],
          domainname: 'example.internal',
          expose: ['9100'],
          group_add: ['123'],
          cap_add: ['NET_ADMIN'],
          ipc: 'shareable',
          mem_reservation: '32m',
          oom_score_adj: 100,
          cpu_shares: 512,
        },
      },
      volumes: { [volume]: { name: volume } },
    });
  });

  it('gives the same service for a container and for its docker run converted back', async () => {
    for (const container of [name('web'), name('raw')]) {
      const detail = (
        await admin.get(`/api/hosts/local/containers/${container}`)
      ).json<ContainerDetail>();
      const fromCli = await fromRun(detail.cli);
      const fromEngine = await exported(`containers=${container}`);
      expect(fromCli.service.definition, detail.cli).toEqual(fromEngine.services[0]?.definition);
      expect(parse(fromCli.yaml)).toEqual(parse(fromEngine.yaml));
      // `docker run` itself has no options left over: nothing was refused on the way.
      expect(fromCli.warnings.filter((w) => w.flag !== '$')).toEqual([]);
    }
  });

  it("keeps the image's command when the container has an entrypoint of its own", async () => {
    const result = await exported(`containers=${name('entry')}`);
    expect(result.services[0]?.definition).toEqual({
      image: TEST_IMAGE,
      container_name: name('entry'),
      entrypoint: ['sh', '-c'],
      command: ['sh'],
      labels: { [TEST_LABEL]: fixtures.runId },
    });
  });

  it("names a compose container's service after its compose labels, which it leaves out", async () => {
    const result = await exported(`containers=${name('shop-db-1')},${name('worker')}`);
    expect(result.services.map((s) => [s.name, s.container])).toEqual([
      ['db', name('shop-db-1')],
      [name('worker'), name('worker')],
    ]);
    expect(result.services[0]?.definition).toEqual({
      image: TEST_IMAGE,
      command: ['sleep', '300'],
      labels: { [TEST_LABEL]: fixtures.runId },
    });
  });

  it('exports a selection, a union with a tag, and answers what it cannot find', async () => {
    const both = await exported(`containers=${name('tool')},${name('worker')}`);
    expect(both.services.map((s) => s.container)).toEqual([name('tool'), name('worker')]);
    const union = await exported(`containers=${name('tool')}&environment=prod`);
    expect(union.services.map((s) => s.container)).toEqual([
      name('tool'),
      name('web'),
      name('worker'),
    ]);
    const missing = await admin.get(`${base}/export?containers=${name('nope')}`);
    expect(missing.statusCode).toBe(404);
    const untagged = await admin.get(`${base}/export?environment=nobody-has-it`);
    expect(untagged.statusCode).toBe(404);
    expect(untagged.json()).toMatchObject({ error: { code: 'no_tagged_containers' } });
    const neither = await admin.get(`${base}/export`);
    expect(neither.statusCode).toBe(400);
    expect(neither.json()).toMatchObject({
      error: { code: 'nothing_to_export', details: { issues: [{ field: 'query.containers' }] } },
    });
  });

  it('hides environment values from viewers and says so', async () => {
    const result = await exported(`containers=${name('web')}`, viewer);
    expect(result.yaml).not.toContain('hello world');
    expect(result.services[0]?.definition.environment).toEqual({
      GREETING: '••••••',
      PRICE: '••••••',
    });
    expect(result.warnings).toEqual([
      { flag: name('web'), message: 'environment values are hidden from viewers' },
    ]);
  });

  it('downloads the same file as compose-<tag>.yaml', async () => {
    const res = await admin.get(`${base}/export.yaml?environment=prod`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="compose-prod.yaml"');
    expect(res.body).toBe((await exported('environment=prod')).yaml);
  });

  it('converts a pasted docker run for viewers, refusing a command that is none', async () => {
    const result = await fromRun('docker run -d --name web -p 8080:80 --bogus nginx:1.27');
    expect(parse(result.yaml)).toEqual({
      services: { web: { image: 'nginx:1.27', container_name: 'web', ports: ['8080:80'] } },
    });
    expect(result.warnings.map((w) => w.flag)).toEqual(['--bogus']);
    const refused = await viewer.post(`${base}/from-run`, { command: 'docker ps' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      error: { code: 'not_docker_run', details: { issues: [{ field: 'body.command' }] } },
    });
  });
});
