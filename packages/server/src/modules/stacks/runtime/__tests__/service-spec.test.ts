import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmac } from '../../../../core/crypto.js';
import { AppError } from '../../../../core/errors.js';
import { buildCreateBody } from '../../../containers/container-spec.js';
import { formatDependsOn, parseDependsOn, STACK_FIELDS } from '../../compose-labels.js';
import type { LiveState } from '../live-state.js';
import { dependencyOrder, planStack } from '../plan.js';
import { desiredContainers } from '../service-spec.js';
import { project } from './runtime-harness.js';

const seal = (content: string): string => hmac(Buffer.alloc(32, 1), content);

const refusal = (run: () => unknown): unknown => {
  try {
    run();
  } catch (err) {
    return err instanceof AppError ? { code: err.code, message: err.message } : err;
  }
  return null;
};

describe('service → container spec', () => {
  it('keeps of a secret’s content only a digest keyed by Berth, in the labels anyone may read', () => {
    const p = project(
      'p',
      { web: { image: 'x', secrets: [{ source: 'token' }] } },
      { secrets: { token: { name: 'p_token', environment: 'TOKEN', content: 'hunter2' } } },
    );
    const labels = (key: number) => {
      const [web] = desiredContainers(p, 'web', (c) => hmac(Buffer.alloc(32, key), c));
      return web?.spec.labels ?? {};
    };
    const plain = createHash('sha256').update('hunter2').digest('hex');
    const text = JSON.stringify(labels(1));
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(plain.slice(0, 12));
    // Another key, another digest: the value cannot be tested against the label without it.
    expect(labels(2)[STACK_FIELDS]).not.toBe(labels(1)[STACK_FIELDS]);
    expect(labels(1)[STACK_FIELDS]).toBe(labels(1)[STACK_FIELDS]);
  });

  it('maps the options compose has and the UI form lacked onto the create body', () => {
    const p = project(
      'shop',
      {
        web: {
          image: 'nginx:1.27',
          ulimits: { nofile: { soft: 1024, hard: 2048 } },
          extra_hosts: ['db.local=10.0.0.5'],
          dns: ['1.1.1.1'],
          dns_search: ['lan'],
          dns_opt: ['ndots:2'],
          init: true,
          read_only: true,
          shm_size: 134217728,
          stop_signal: 'SIGQUIT',
          tty: true,
          stdin_open: true,
          group_add: ['audio'],
          domainname: 'example.org',
          deploy: { resources: { reservations: { memory: 33554432 } } },
          tmpfs: ['/run:size=1m,mode=1777'],
          secrets: [{ source: 'token' }],
          configs: [{ source: 'site', target: '/etc/nginx/conf.d/site.conf' }],
          expose: ['9000'],
        },
      },
      {
        secrets: { token: { name: 'shop_token', file: '/srv/shop/token.txt' } },
        configs: { site: { name: 'shop_site', file: '/srv/shop/site.conf' } },
      },
    );
    const [web] = desiredContainers(p, 'web', seal);
    const body = buildCreateBody(web?.spec ?? { image: '' });
    expect(body).toMatchObject({
      Domainname: 'example.org',
      StopSignal: 'SIGQUIT',
      Tty: true,
      OpenStdin: true,
      ExposedPorts: { '9000/tcp': {} },
      HostConfig: {
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
        ExtraHosts: ['db.local:10.0.0.5'],
        Dns: ['1.1.1.1'],
        DnsSearch: ['lan'],
        DnsOptions: ['ndots:2'],
        Init: true,
        ReadonlyRootfs: true,
        ShmSize: 134217728,
        GroupAdd: ['audio'],
        MemoryReservation: 33554432,
        NetworkMode: 'shop_default',
      },
    });
    expect(body.HostConfig.Mounts).toEqual([
      { Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1777 } },
      { Type: 'bind', Source: '/srv/shop/token.txt', Target: '/run/secrets/token', ReadOnly: true },
      {
        Type: 'bind',
        Source: '/srv/shop/site.conf',
        Target: '/etc/nginx/conf.d/site.conf',
        ReadOnly: true,
      },
    ]);
    expect(web?.name).toBe('shop-web-1');
    expect(JSON.parse(web?.spec.labels?.[STACK_FIELDS] ?? '{}')).toHaveProperty('image');
  });

  it('refuses what it does not implement by its compose path, never dropping it', () => {
    const one = (service: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
      refusal(() =>
        desiredContainers(project('p', { s: { image: 'x', ...service } }, rest), 's', seal),
      );
    expect(one({ ports: [{ target: 80, published: '8080-8081' }] })).toEqual({
      code: 'compose_unsupported',
      message:
        "services.s.ports[0].published: a range of host ports is not supported by Berth's compose engine yet",
    });
    expect(one({ deploy: { resources: { reservations: { cpus: '0.5' } } } })).toMatchObject({
      message: expect.stringContaining('services.s.deploy.resources.reservations.cpus') as unknown,
    });
    expect(
      one({ secrets: [{ source: 'k' }] }, { secrets: { k: { name: 'k', external: true } } }),
    ).toMatchObject({
      code: 'compose_unsupported',
      message: expect.stringContaining('secrets.k') as unknown,
    });
    expect(one({ volumes: [{ type: 'volume', source: 'nope', target: '/d' }] })).toMatchObject({
      code: 'compose_invalid',
      message: expect.stringContaining('services.s.volumes[0].source') as unknown,
    });
  });
});

describe('plan (pure)', () => {
  const empty: LiveState = { containers: [], networks: [], volumes: [], images: { x: 'sha256:1' } };

  it('orders services by depends_on and refuses a cycle naming it', () => {
    const p = project('p', {
      web: { image: 'x', depends_on: { api: { condition: 'service_started' } } },
      api: { image: 'x', depends_on: { db: { condition: 'service_healthy' } } },
      db: { image: 'x' },
    });
    expect(dependencyOrder(p)).toEqual(['db', 'api', 'web']);
    const cyclic = project('p', {
      a: { image: 'x', depends_on: { b: { condition: 'service_started' } } },
      b: { image: 'x', depends_on: { a: { condition: 'service_started' } } },
    });
    expect(refusal(() => dependencyOrder(cyclic))).toMatchObject({
      code: 'compose_invalid',
      message: 'services.a.depends_on: a dependency cycle: a → b → a',
    });
  });

  it('plans creates on an empty engine and removes the containers of a service no longer in the files', () => {
    const p = project('p', { web: { image: 'x' } });
    const live: LiveState = {
      ...empty,
      containers: [
        {
          id: 'c1',
          name: 'p-old-1',
          service: 'old',
          number: 1,
          state: 'running',
          exitCode: null,
          hash: null,
          fields: null,
          imageId: 'sha256:1',
          dependsOn: undefined,
        },
      ],
    };
    const { plan } = planStack('local', p, live, seal);
    expect(
      plan.services.map((s) => [s.service, s.action, s.containers.map((c) => c.name)]),
    ).toEqual([
      ['web', 'create', ['p-web-1']],
      ['old', 'remove', ['p-old-1']],
    ]);
    expect(plan.resources).toEqual([{ kind: 'network', name: 'p_default', action: 'create' }]);
    expect(plan.unchanged).toBe(false);
  });

  it('writes depends_on as compose v2 does and reads it back', () => {
    const label = formatDependsOn({
      db: { condition: 'service_healthy', restart: true },
      cache: { condition: 'service_started' },
    });
    expect(label).toBe('db:service_healthy:true,cache:service_started:false');
    expect(parseDependsOn(label)).toEqual([
      { service: 'db', condition: 'service_healthy', restart: true },
      { service: 'cache', condition: 'service_started', restart: false },
    ]);
  });
});
