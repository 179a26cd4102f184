import type { ComposeProject } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../stacks/compose/index.js';
import { stackToSwarm } from '../stack-to-swarm.js';

const DIR = '/stacks/local/shop';

/** The real loader in swarm mode over files held in memory. */
async function load(compose: string, name = 'prod'): Promise<ComposeProject> {
  const files: Record<string, string> = {
    [`${DIR}/compose.yaml`]: compose,
    [`${DIR}/.env`]: 'TAG=1.2\n',
  };
  const result = await loadProject({
    name,
    workingDir: DIR,
    read: (path) => Promise.resolve(files[path] ?? null),
    env: { REGISTRY: 'registry.example' },
    swarm: true,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.project;
}

const FULL = `services:
  api:
    image: \${REGISTRY}/api:\${TAG}
    entrypoint: ["/bin/api"]
    command: serve --port 8080
    environment: { MODE: prod, EMPTY: "" }
    labels: { role: api }
    ports:
      - "80:8080"
      - target: 9090
        published: 9090
        protocol: udp
        mode: host
    healthcheck:
      test: ["CMD", "wget", "-q", "localhost:8080"]
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 1m
    volumes:
      - data:/var/lib/api
      - /etc/ssl:/etc/ssl:ro
      - type: tmpfs
        target: /cache
        tmpfs: { size: 1048576 }
    secrets:
      - db_password
      - source: tls_key
        target: key.pem
        mode: 0400
    configs:
      - source: app
        target: /etc/app.conf
    networks:
      back:
        aliases: [backend]
    deploy:
      replicas: 3
      labels: { traefik.enable: "true" }
      placement:
        constraints: [node.role == worker, node.labels.zone == eu]
        preferences: [{ spread: node.labels.rack }]
        max_replicas_per_node: 2
      resources:
        limits: { cpus: "1.5", memory: 512M, pids: 100 }
        reservations: { cpus: "0.25", memory: 128M }
      update_config:
        parallelism: 2
        delay: 10s
        failure_action: rollback
        monitor: 30s
        max_failure_ratio: 0.2
        order: start-first
      rollback_config: { parallelism: 0, order: stop-first }
      restart_policy: { condition: on-failure, delay: 5s, max_attempts: 3, window: 2m }
  agent:
    image: agent
    deploy: { mode: global, endpoint_mode: dnsrr }
    restart: unless-stopped
volumes:
  data: { driver: local, labels: { keep: "yes" } }
networks:
  back: { attachable: true, labels: { team: a } }
secrets:
  db_password: { file: ./db.txt }
  tls_key: { external: true, name: shared_tls }
configs:
  app: { file: ./app.conf }
`;

describe('stackToSwarm: a compose project → what docker stack deploy sends', () => {
  it('converts the deploy section, ports, healthcheck, env, volumes, secrets and configs', async () => {
    const stack = stackToSwarm(await load(FULL));
    const api = stack.services.find((s) => s.key === 'api')?.spec;
    expect(api).toEqual({
      Name: 'prod_api',
      Labels: {
        'traefik.enable': 'true',
        'com.docker.stack.namespace': 'prod',
        'com.docker.stack.image': 'registry.example/api:1.2',
      },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'registry.example/api:1.2',
          Labels: { role: 'api', 'com.docker.stack.namespace': 'prod' },
          Command: ['/bin/api'],
          Args: ['serve', '--port', '8080'],
          Env: ['EMPTY=', 'MODE=prod'],
          Mounts: [
            {
              Type: 'volume',
              Source: 'prod_data',
              Target: '/var/lib/api',
              VolumeOptions: {
                Labels: { keep: 'yes', 'com.docker.stack.namespace': 'prod' },
                DriverConfig: { Name: 'local' },
              },
            },
            { Type: 'bind', Source: '/etc/ssl', Target: '/etc/ssl', ReadOnly: true },
            { Type: 'tmpfs', Target: '/cache', TmpfsOptions: { SizeBytes: 1048576 } },
          ],
          Healthcheck: {
            Test: ['CMD', 'wget', '-q', 'localhost:8080'],
            Interval: 30e9,
            Timeout: 5e9,
            Retries: 3,
            StartPeriod: 60e9,
          },
          Secrets: [
            {
              File: { Name: 'db_password', UID: '0', GID: '0', Mode: 0o444 },
              SecretID: '',
              SecretName: 'prod_db_password',
            },
            {
              File: { Name: 'key.pem', UID: '0', GID: '0', Mode: 0o400 },
              SecretID: '',
              SecretName: 'shared_tls',
            },
          ],
          Configs: [
            {
              File: { Name: '/etc/app.conf', UID: '0', GID: '0', Mode: 0o444 },
              ConfigID: '',
              ConfigName: 'prod_app',
            },
          ],
        },
        Resources: {
          Limits: { NanoCPUs: 1.5e9, MemoryBytes: 512 * 1024 ** 2, Pids: 100 },
          Reservations: { NanoCPUs: 0.25e9, MemoryBytes: 128 * 1024 ** 2 },
        },
        RestartPolicy: { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3, Window: 120e9 },
        Placement: {
          Constraints: ['node.role == worker', 'node.labels.zone == eu'],
          Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.rack' } }],
          MaxReplicas: 2,
        },
        Networks: [{ Target: 'prod_back', Aliases: ['backend', 'api'] }],
      },
      Mode: { Replicated: { Replicas: 3 } },
      UpdateConfig: {
        Parallelism: 2,
        Delay: 10e9,
        FailureAction: 'rollback',
        Monitor: 30e9,
        MaxFailureRatio: 0.2,
        Order: 'start-first',
      },
      RollbackConfig: { Parallelism: 0, Order: 'stop-first' },
      EndpointSpec: {
        Ports: [
          { Protocol: 'tcp', TargetPort: 8080, PublishedPort: 80, PublishMode: 'ingress' },
          { Protocol: 'udp', TargetPort: 9090, PublishedPort: 9090, PublishMode: 'host' },
        ],
      },
    });
  });

  it('runs a global service, maps restart as the CLI does, and names what swarm ignores', async () => {
    const stack = stackToSwarm(await load(FULL));
    const agent = stack.services.find((s) => s.key === 'agent')?.spec;
    expect(agent?.Mode).toEqual({ Global: {} });
    expect(agent?.EndpointSpec).toEqual({ Mode: 'dnsrr' });
    expect(agent?.TaskTemplate.RestartPolicy).toEqual({ Condition: 'any' });
    expect(agent?.TaskTemplate.Networks).toEqual([{ Target: 'prod_default', Aliases: ['agent'] }]);
    expect(stack.unsupported).toEqual([
      {
        service: 'agent',
        field: 'restart',
        message:
          'not a swarm option: taken as deploy.restart_policy (as docker stack deploy does); write deploy.restart_policy instead',
      },
    ]);
  });

  it('makes overlay networks, secrets and configs of the namespace, and leaves external ones', async () => {
    const stack = stackToSwarm(await load(FULL));
    expect(stack.networks).toEqual([
      {
        key: 'back',
        name: 'prod_back',
        external: false,
        spec: {
          Name: 'prod_back',
          Driver: 'overlay',
          Scope: 'swarm',
          Labels: { team: 'a', 'com.docker.stack.namespace': 'prod' },
          Attachable: true,
        },
      },
      {
        key: 'default',
        name: 'prod_default',
        external: false,
        spec: {
          Name: 'prod_default',
          Driver: 'overlay',
          Scope: 'swarm',
          Labels: { 'com.docker.stack.namespace': 'prod' },
        },
      },
    ]);
    expect(stack.secrets.map((s) => [s.name, s.external, s.file ?? null])).toEqual([
      ['prod_db_password', false, `${DIR}/db.txt`],
      ['shared_tls', true, null],
    ]);
    expect(stack.configs).toEqual([
      {
        key: 'app',
        name: 'prod_app',
        external: false,
        labels: { 'com.docker.stack.namespace': 'prod' },
        file: `${DIR}/app.conf`,
      },
    ]);
  });

  it('lists every compose feature a swarm stack does not honour, by service and field', async () => {
    const project = await load(`services:
  web:
    image: web
    build: .
    container_name: web-1
    network_mode: host
    privileged: true
    devices: ["/dev/fuse:/dev/fuse"]
    links: [db]
    external_links: [other_db]
    expose: ["80"]
    ports: [{ target: 80, published: 8080, host_ip: 127.0.0.1 }]
    depends_on:
      db: { condition: service_healthy }
    restart: always
    healthcheck: { test: ["CMD", "true"], start_interval: 1s }
    deploy:
      mode: global
      replicas: 2
      restart_policy: { condition: any }
  db:
    build: ./db
  debug:
    image: debug
    profiles: [debug]
`);
    const stack = stackToSwarm(project, [
      { service: 'web', field: 'links', message: 'links is ignored by swarm stacks' },
    ]);
    expect(stack.unsupported.map((u) => `${u.service}.${u.field}`)).toEqual([
      'web.links',
      'debug.profiles',
      'web.build',
      'web.container_name',
      'web.network_mode',
      'web.devices',
      'web.privileged',
      'web.expose',
      'web.depends_on.db',
      'web.restart',
      'web.healthcheck.start_interval',
      'web.ports[0].host_ip',
      'web.deploy.replicas',
      'db.image',
      'db.build',
    ]);
    expect(stack.unsupported.find((u) => u.field === 'depends_on.db')?.message).toBe(
      'swarm starts services in no order and does not wait for service_healthy',
    );
    expect(stack.unsupported.find((u) => u.field === 'restart')?.message).toBe(
      'deploy.restart_policy decides; restart ignored',
    );
  });

  it('loads links and external_links as warnings in swarm mode (the container loader refuses them)', async () => {
    const files: Record<string, string> = {
      [`${DIR}/compose.yaml`]:
        'services:\n  a:\n    image: a\n    links: [b]\n  b:\n    image: b\n',
    };
    const input = {
      name: 'x',
      workingDir: DIR,
      read: (p: string) => Promise.resolve(files[p] ?? null),
    };
    const containers = await loadProject(input);
    expect(containers.ok).toBe(false);
    const swarm = await loadProject({ ...input, swarm: true });
    expect(swarm.ok && swarm.warnings.map((w) => [w.path, w.message])).toEqual([
      ['services.a.links', 'links is ignored by swarm stacks'],
    ]);
  });
});
