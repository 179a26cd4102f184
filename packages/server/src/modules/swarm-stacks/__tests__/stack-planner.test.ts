import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RawNetwork } from '../../../docker/engine-types.js';
import type { RawSecret, RawService } from '../../../docker/swarm-types.js';
import { planSwarmStack, type SwarmSnapshot } from '../stack-planner.js';
import type { SwarmStack } from '../stack-to-swarm.js';

const NS = { 'com.docker.stack.namespace': 'shop' };
const meta = { Version: { Index: 7 }, CreatedAt: '', UpdatedAt: '' };
const base64 = (text: string) => Buffer.from(text).toString('base64');
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

const stack: SwarmStack = {
  namespace: 'shop',
  networks: [
    {
      key: 'front',
      name: 'shop_front',
      external: false,
      spec: { Name: 'shop_front', Driver: 'overlay', Scope: 'swarm', Labels: NS },
    },
    { key: 'shared', name: 'shared', external: true, spec: { Name: 'shared', Driver: 'overlay' } },
  ],
  secrets: [{ key: 'token', name: 'shop_token', external: false, labels: NS, file: '/x/token' }],
  configs: [{ key: 'motd', name: 'shop_motd', external: false, labels: NS, file: '/x/motd' }],
  services: [
    {
      key: 'web',
      spec: {
        Name: 'shop_web',
        Labels: NS,
        TaskTemplate: {
          ContainerSpec: { Image: 'web:2', Env: ['A=1'] },
          Networks: [{ Target: 'shop_front', Aliases: ['web'] }],
        },
        Mode: { Replicated: { Replicas: 2 } },
      },
    },
  ],
  unsupported: [],
};
const network = (Id: string, Name: string, Labels: Record<string, string> | null): RawNetwork =>
  ({ Id, Name, Labels, Driver: 'overlay', Scope: 'swarm' }) as RawNetwork;
const secret = (
  ID: string,
  Name: string,
  Labels: Record<string, string>,
  Data?: string,
): RawSecret => ({
  ID,
  ...meta,
  Spec: { Name, Labels, ...(Data === undefined ? {} : { Data }) },
});
const service = (ID: string, Name: string, image: string): RawService => ({
  ID,
  ...meta,
  Spec: {
    Name,
    Labels: NS,
    TaskTemplate: {
      ContainerSpec: { Image: image, Env: ['A=1'], Isolation: 'default' } as never,
      Networks: [{ Target: 'net-1', Aliases: ['web'] }],
      ForceUpdate: 0,
    },
    Mode: { Replicated: { Replicas: 2 } },
  },
});
const data = {
  secrets: new Map([['shop_token', base64('new')]]),
  configs: new Map([['shop_motd', base64('hi')]]),
};

describe('planSwarmStack: what a deploy does, from the files and the engine', () => {
  it('leaves what is as the files say, updates a changed service at its version, prunes on request', () => {
    const snapshot: SwarmSnapshot = {
      networks: [
        network('net-1', 'shop_front', NS),
        network('net-2', 'shared', null),
        network('net-3', 'shop_old', NS),
      ],
      secrets: [
        secret('s1', 'shop_token', { ...NS, 'io.berth.swarm-stack.digest': digest('new') }),
      ],
      configs: [secret('c1', 'shop_motd', NS, base64('hi'))],
      services: [service('svc-1', 'shop_web', 'web:1'), service('svc-2', 'shop_gone', 'old')],
    };
    const steps = planSwarmStack(stack, snapshot, data, true);
    expect(steps.map((s) => `${s.object.action} ${s.object.kind} ${s.object.name}`)).toEqual([
      'unchanged network shop_front',
      'external network shared',
      'unchanged secret shop_token',
      'unchanged config shop_motd',
      'update service shop_web',
      'remove service shop_gone',
      'remove network shop_old',
    ]);
    const web = steps.find((s) => s.object.name === 'shop_web');
    expect(web?.object.changes).toEqual([
      { field: 'TaskTemplate.ContainerSpec.Image', before: '"web:1"', after: '"web:2"' },
    ]);
    expect(web?.step).toMatchObject({ op: 'update', id: 'svc-1', version: 7 });
    expect(
      planSwarmStack(stack, snapshot, data, false).some((s) => s.object.action === 'remove'),
    ).toBe(false);
  });

  it('names conflicts: a changed secret, a missing external network, a foreign network of the same name', () => {
    const snapshot: SwarmSnapshot = {
      networks: [network('net-1', 'shop_front', null)],
      secrets: [
        secret('s1', 'shop_token', { ...NS, 'io.berth.swarm-stack.digest': digest('old') }),
      ],
      configs: [secret('c1', 'shop_motd', NS, base64('changed'))],
      services: [],
    };
    const conflicts = planSwarmStack(stack, snapshot, data, false)
      .filter((s) => s.object.action === 'conflict')
      .map((s) => `${s.object.name}: ${s.object.message ?? ''}`);
    expect(conflicts).toEqual([
      'shop_front: a network "shop_front" exists that is not this stack\'s',
      'shared: external network "shared" does not exist',
      'shop_token: its file changed, and a secret cannot be changed: give it a new name (name: shop_token_v2) or remove the stack first',
      'shop_motd: its file changed, and a config cannot be changed: give it a new name (name: shop_motd_v2) or remove the stack first',
    ]);
  });

  it('refuses a service without an image, or with a name the engine would refuse', () => {
    const long = 'x'.repeat(60);
    const webSpec = stack.services[0]?.spec ?? ({} as never);
    const bad: SwarmStack = {
      ...stack,
      services: [
        {
          key: 'built',
          spec: {
            ...webSpec,
            Name: 'shop_built',
            TaskTemplate: { ContainerSpec: { Image: '' } },
          },
        },
        { key: long, spec: { ...webSpec, Name: `shop_${long}` } },
      ],
    };
    const empty = { networks: [], secrets: [], configs: [], services: [] };
    expect(
      planSwarmStack(bad, empty, data, false)
        .filter((s) => s.object.kind === 'service')
        .map((s) => [s.object.action, s.object.message]),
    ).toEqual([
      ['conflict', 'a swarm service needs an image: swarm builds nothing'],
      [
        'conflict',
        `"shop_${long}" is longer than the 63 characters a service name may have: shorten the stack or service name`,
      ],
    ]);
  });

  it('creates what is missing, secrets with the digest of their data', () => {
    const steps = planSwarmStack(
      stack,
      { networks: [network('n', 'shared', null)], secrets: [], configs: [], services: [] },
      data,
      false,
    );
    expect(steps.find((s) => s.object.kind === 'secret')?.step).toEqual({
      kind: 'secret',
      op: 'create',
      name: 'shop_token',
      labels: { ...NS, 'io.berth.swarm-stack.digest': digest('new') },
      data: base64('new'),
    });
    expect(steps.filter((s) => s.object.action === 'create').map((s) => s.object.name)).toEqual([
      'shop_front',
      'shop_token',
      'shop_motd',
      'shop_web',
    ]);
  });
});
