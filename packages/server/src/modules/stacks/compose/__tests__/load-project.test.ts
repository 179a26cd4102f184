import { describe, expect, it } from 'vitest';
import { loadProject } from '../index.js';
import type { LoadInput, LoadResult } from '../../stack-ports.js';

/** A stack folder held in memory: what the editor passes for unsaved files. */
function stack(files: Record<string, string>, extra: Partial<LoadInput> = {}): Promise<LoadResult> {
  return loadProject({
    name: 'demo',
    workingDir: '/stacks/demo',
    read: (file) => Promise.resolve(files[file.replace('/stacks/demo/', '')] ?? null),
    ...extra,
  });
}

function issuesOf(result: LoadResult): unknown[] {
  if (result.ok) throw new Error('expected issues, the project loaded');
  return result.issues;
}

describe('loadProject', () => {
  it('discovers docker-compose.yml and its override file', async () => {
    const result = await stack({
      'docker-compose.yml': 'services:\n  web:\n    image: nginx\n',
      'docker-compose.override.yml': 'services:\n  web:\n    image: nginx:1.27\n',
    });
    expect(result.ok && result.project.config_files).toEqual([
      '/stacks/demo/docker-compose.yml',
      '/stacks/demo/docker-compose.override.yml',
    ]);
    expect(result.ok && result.project.services.web?.image).toBe('nginx:1.27');
  });

  it('prefers compose.yaml and reads only the files it is given', async () => {
    const files = {
      'compose.yaml': 'services:\n  a:\n    image: a\n',
      'docker-compose.yml': 'services:\n  b:\n    image: b\n',
      'other.yaml': 'services:\n  c:\n    image: c\n',
    };
    const discovered = await stack(files);
    expect(discovered.ok && Object.keys(discovered.project.services)).toEqual(['a']);
    const given = await stack(files, { configFiles: ['/stacks/demo/other.yaml'] });
    expect(given.ok && Object.keys(given.project.services)).toEqual(['c']);
  });

  it('says when there is no compose file', async () => {
    expect(issuesOf(await stack({ '.env': 'A=1\n' }))).toEqual([
      {
        file: 'compose.yaml',
        line: null,
        column: null,
        path: '',
        message:
          'no compose file: expected one of compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml',
      },
    ]);
  });

  it('names the line of a bad .env', async () => {
    const result = await stack({ 'compose.yaml': 'services: {}\n', '.env': 'A=1\nB="open\n' });
    expect(issuesOf(result)).toEqual([
      { file: '.env', line: 2, column: null, path: '', message: 'line 2: unclosed " quote' },
    ]);
  });

  it('refuses an extends cycle and a missing base service', async () => {
    const result = await stack({
      'compose.yaml': [
        'services:',
        '  a:',
        '    extends: b',
        '  b:',
        '    extends: a',
        '  c:',
        '    extends: nowhere',
        '',
      ].join('\n'),
    });
    expect(issuesOf(result)).toEqual([
      {
        file: 'compose.yaml',
        line: 3,
        column: 5,
        path: 'services.a.extends',
        message: 'extends makes a cycle: compose.yaml#a → compose.yaml#b → compose.yaml#a',
      },
      {
        file: 'compose.yaml',
        line: 7,
        column: 5,
        path: 'services.c.extends',
        message: 'extends names service "nowhere", which compose.yaml does not define',
      },
    ]);
  });

  it('says which included env_file is missing', async () => {
    const result = await stack({
      'compose.yaml': 'include:\n  - path: sub/compose.yaml\n    env_file: sub/missing.env\n',
      'sub/compose.yaml': 'services:\n  s:\n    image: s\n',
    });
    expect(issuesOf(result)).toEqual([
      {
        file: 'compose.yaml',
        line: 2,
        column: 5,
        path: 'include[0]',
        message: 'env_file sub/missing.env does not exist',
      },
    ]);
  });

  it('enables every profile with *', async () => {
    const files = {
      'compose.yaml':
        'services:\n  a:\n    image: a\n    profiles: [x]\n  b:\n    image: b\n    profiles: [y]\n',
    };
    const all = await stack(files, { profiles: ['*'] });
    expect(all.ok && Object.keys(all.project.services)).toEqual(['a', 'b']);
    const none = await stack(files);
    expect(none.ok && none.project.disabled_services).toEqual(['a', 'b']);
  });

  it('refuses scale and deploy.replicas that differ, and a service with neither image nor build', async () => {
    const result = await stack({
      'compose.yaml':
        'services:\n  a:\n    image: a\n    scale: 2\n    deploy:\n      replicas: 3\n  b:\n    restart: always\n',
    });
    expect(issuesOf(result)).toEqual([
      {
        file: 'compose.yaml',
        line: 4,
        column: 5,
        path: 'services.a.scale',
        message: 'services.a.scale (2) and deploy.replicas (3) differ; set one of them',
      },
      {
        file: 'compose.yaml',
        line: 7,
        column: 3,
        path: 'services.b',
        message: 'services.b needs an image or a build',
      },
    ]);
  });

  it('drops a service an override file resets, and refers issues to the override', async () => {
    const result = await stack({
      'compose.yaml': 'services:\n  a:\n    image: a\n  b:\n    image: b\n',
      'compose.override.yaml': 'services:\n  b: !reset\n  a:\n    networks: [missing]\n',
    });
    expect(issuesOf(result)).toEqual([
      {
        file: 'compose.override.yaml',
        line: 4,
        column: 5,
        path: 'services.a.networks.missing',
        message: 'service "a" refers to undefined network missing',
      },
    ]);
    const fixed = await stack({
      'compose.yaml': 'services:\n  a:\n    image: a\n  b:\n    image: b\n',
      'compose.override.yaml': 'services:\n  b: !reset\n',
    });
    expect(fixed.ok && Object.keys(fixed.project.services)).toEqual(['a']);
  });

  it('refuses a YAML bomb of aliases', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 6; i += 1) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const result = await stack({
      'compose.yaml': `x-bomb:\n${lines.map((l) => `  ${l}`).join('\n')}\nservices: {}\n`,
    });
    expect(result.ok).toBe(false);
  });
  it('refuses a depends_on cycle, network_mode beside networks, and container_name with replicas', async () => {
    const result = await stack({
      'compose.yaml': [
        'services:',
        '  a:',
        '    image: a',
        '    depends_on: [b]',
        '  b:',
        '    image: b',
        '    depends_on: [a]',
        '  c:',
        '    image: c',
        '    network_mode: host',
        '    networks: [default]',
        '    container_name: fixed',
        '    scale: 2',
        '',
      ].join('\n'),
    });
    expect(issuesOf(result)).toEqual([
      {
        file: 'compose.yaml',
        line: 10,
        column: 5,
        path: 'services.c.network_mode',
        message: 'service "c" sets both network_mode and networks; they exclude each other',
      },
      {
        file: 'compose.yaml',
        line: 12,
        column: 5,
        path: 'services.c.container_name',
        message: 'service "c" has a container_name, so it cannot have 2 replicas',
      },
      {
        file: 'compose.yaml',
        line: 4,
        column: 5,
        path: 'services.a.depends_on',
        message: 'depends_on makes a cycle: a → b → a',
      },
    ]);
  });
});
