import { describe, expect, it } from 'vitest';
import type { RawServiceSpec } from '../../../docker/swarm-types.js';
import { specChanges } from '../spec-diff.js';

const spec = (over: Partial<RawServiceSpec> = {}, env = ['A=1']): RawServiceSpec => ({
  Name: 'shop_web',
  Labels: { 'com.docker.stack.namespace': 'shop' },
  TaskTemplate: { ContainerSpec: { Image: 'web:1', Env: env } },
  Mode: { Replicated: { Replicas: 2 } },
  ...over,
});

describe('specChanges: the fields of a service spec that differ', () => {
  it('takes what the engine fills in by itself for unset (Go zero values, its defaults)', () => {
    const stored = spec({
      UpdateConfig: {
        Parallelism: 1,
        FailureAction: 'pause',
        MaxFailureRatio: 0,
        Order: 'stop-first',
      },
      EndpointSpec: { Mode: 'vip' },
    });
    stored.TaskTemplate = {
      ...stored.TaskTemplate,
      ForceUpdate: 0,
      RestartPolicy: { Condition: 'any', MaxAttempts: 0 },
    };
    const files = spec({ UpdateConfig: { Parallelism: 1 } });
    files.TaskTemplate = { ...files.TaskTemplate, RestartPolicy: { Condition: 'any' } };
    expect(specChanges(stored, files)).toEqual([]);
  });

  it('names each changed leaf: labels and list items by key, environment values hidden', () => {
    const before = spec({ Labels: { a: '1', gone: 'x' } }, ['A=1', 'B=2']);
    const after = spec({ Labels: { a: '2' }, Mode: { Replicated: { Replicas: 3 } } }, [
      'A=1',
      'B=3',
      'C=4',
    ]);
    expect(specChanges(before, after)).toEqual([
      { field: 'Labels.a', before: '"1"', after: '"2"' },
      { field: 'Labels.gone', before: '"x"', after: null },
      { field: 'Mode.Replicated.Replicas', before: '2', after: '3' },
      { field: 'TaskTemplate.ContainerSpec.Env.B', before: '(set)', after: '(set)' },
      { field: 'TaskTemplate.ContainerSpec.Env.C', before: null, after: '(set)' },
    ]);
  });
});
