import { describe, expect, it } from 'vitest';
import { mergeService, type TagAt } from '../merge.js';
import { loadYaml } from '../yaml-load.js';

const noTags: TagAt = () => undefined;

describe('mergeService', () => {
  it('merges environment and labels given as lists or maps by key', () => {
    expect(
      mergeService(
        { environment: ['A=1', 'B=2'], labels: { x: '1' } },
        { environment: { B: '3' }, labels: ['y=2'] },
        'services.s',
        noTags,
      ),
    ).toEqual({ environment: { A: '1', B: '3' }, labels: { x: '1', y: '2' } });
  });

  it('replaces command, entrypoint and healthcheck.test; appends other lists without duplicates', () => {
    expect(
      mergeService(
        {
          command: ['a', 'b'],
          entrypoint: 'x',
          healthcheck: { test: ['CMD', 'a'], retries: 3 },
          cap_add: ['NET_ADMIN'],
        },
        {
          command: ['c'],
          entrypoint: ['y'],
          healthcheck: { test: ['CMD', 'b'] },
          cap_add: ['NET_ADMIN', 'SYS_TIME'],
        },
        'services.s',
        noTags,
      ),
    ).toEqual({
      command: ['c'],
      entrypoint: ['y'],
      healthcheck: { test: ['CMD', 'b'], retries: 3 },
      cap_add: ['NET_ADMIN', 'SYS_TIME'],
    });
  });

  it('merges secrets by target, depends_on lists into maps, and a build string into its context', () => {
    expect(
      mergeService(
        { secrets: ['a', { source: 'b', target: '/b' }], depends_on: ['db'], build: '.' },
        {
          secrets: [{ source: 'c', target: '/b' }],
          depends_on: { cache: { condition: 'service_healthy' } },
          build: { target: 'dev' },
        },
        'services.s',
        noTags,
      ),
    ).toEqual({
      secrets: ['a', { source: 'c', target: '/b' }],
      depends_on: { db: { condition: 'service_started' }, cache: { condition: 'service_healthy' } },
      build: { context: '.', target: 'dev' },
    });
  });

  it('replaces logging when the driver changes and merges its options when it does not', () => {
    const base = { logging: { driver: 'json-file', options: { 'max-size': '1m' } } };
    expect(mergeService(base, { logging: { driver: 'syslog' } }, 'services.s', noTags)).toEqual({
      logging: { driver: 'syslog' },
    });
    expect(
      mergeService(base, { logging: { options: { 'max-file': '2' } } }, 'services.s', noTags),
    ).toEqual({
      logging: { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '2' } },
    });
  });

  it('honours !reset and !override as tagged in the override file', () => {
    const loaded = loadYaml(
      'compose.override.yaml',
      'services:\n  s:\n    ports: !override ["9090:80"]\n    environment: !reset {}\n    labels:\n      b: "2"\n',
    );
    if (!loaded.ok) throw new Error('the override should parse');
    const doc = loaded.doc;
    const tagAt: TagAt = (at) =>
      doc.resets.has(at) ? 'reset' : doc.overrides.has(at) ? 'override' : undefined;
    const over = (doc.value.services as Record<string, Record<string, never>>).s ?? {};
    expect(
      mergeService(
        { image: 'x', ports: ['8080:80', '443:443'], environment: { A: '1' }, labels: { a: '1' } },
        over,
        'services.s',
        tagAt,
      ),
    ).toEqual({ image: 'x', ports: ['9090:80'], labels: { a: '1', b: '2' } });
  });
});

describe('loadYaml', () => {
  it('resolves anchors and merge keys and keeps where each key was written', () => {
    const loaded = loadYaml(
      'compose.yaml',
      'x: &base\n  a: 1\n  b: 2\ny:\n  <<: *base\n  b: 3\n  c: [*base]\n',
    );
    if (!loaded.ok) throw new Error('should parse');
    expect(loaded.doc.value).toEqual({ x: { a: 1, b: 2 }, y: { a: 1, b: 3, c: [{ a: 1, b: 2 }] } });
    expect(loaded.doc.positions.get('y.b')).toEqual({ line: 6, column: 3 });
    expect(loaded.doc.positions.get('y.c[0]')).toEqual({ line: 7, column: 7 });
  });

  it('refuses duplicate keys and non-mapping documents', () => {
    const dup = loadYaml('compose.yaml', 'services: {}\nservices: {}\n');
    expect(dup.ok ? [] : dup.issues.map((i) => [i.line, i.message])).toEqual([
      [2, 'YAML syntax error: Map keys must be unique'],
    ]);
    const list = loadYaml('compose.yaml', '- a\n- b\n');
    expect(list.ok ? [] : list.issues.map((i) => i.message)).toEqual([
      'a compose file must be a mapping',
    ]);
  });
});
