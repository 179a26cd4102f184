import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageHistory } from '@berth/contract';
import { parse } from 'yaml';
import { startTestRegistry, type TestRegistry } from '../../../../scripts/lib/test-registry.mjs';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../server/src/testing/test-engine.js';
import { TransferProgress } from '../commands/image-progress.js';
import { CliWorld } from './cli-harness.js';

const world = new CliWorld();
const engine = new EngineFixtures();
let registry: TestRegistry;
const repo = `berth-cli-build-${engine.runId}`;
const context = join(world.home, 'context');

async function imageId(reference: string): Promise<string | null> {
  try {
    const found = await engine.client.request<{ Id: string }>(
      'GET',
      `/images/${encodeURIComponent(reference)}/json`,
    );
    return found.Id;
  } catch {
    return null;
  }
}

function dockerfile(...steps: string[]): void {
  writeFileSync(
    join(context, 'Dockerfile'),
    [`FROM ${TEST_IMAGE}`, `LABEL ${TEST_LABEL}=${engine.runId}`, ...steps, ''].join('\n'),
  );
}

beforeAll(async () => {
  registry = await startTestRegistry();
  await world.start();
  mkdirSync(join(context, 'sub'), { recursive: true });
  writeFileSync(join(context, 'kept.txt'), 'kept\n');
  writeFileSync(join(context, 'secret.txt'), 'secret\n');
  writeFileSync(join(context, 'sub', 'debug.log'), 'log\n');
  writeFileSync(join(context, '.dockerignore'), '# not sent\nsecret.txt\n**/*.log\n');
});
afterAll(async () => {
  const mine = await engine.client.request<{ Id: string }[]>('GET', '/images/json', {
    query: { filters: JSON.stringify({ label: [`${TEST_LABEL}=${engine.runId}`] }) },
  });
  for (const image of mine)
    await engine.client.request('DELETE', `/images/${image.Id}`, { query: { force: true } });
  await engine.cleanup();
  await world.stop();
  await registry.stop();
});

describe('transfer progress', () => {
  const event = (layer: string, status: string, current: number | null, total: number | null) =>
    ({
      type: 'progress',
      operation: 'pull',
      transferId: null,
      subject: 'x',
      status,
      layer,
      current,
      total,
    }) as const;

  it('redraws one bar per layer in place on a terminal', () => {
    let screen = '';
    const progress = new TransferProgress((t) => (screen += t), true);
    progress.update(event('aaa', 'Downloading', 1, 4));
    progress.update(event('bbb', 'Waiting', null, null));
    progress.update(event('aaa', 'Downloading', 4, 4));
    expect(screen).toContain('\u001b[2F\u001b[J');
    expect(
      screen.endsWith('aaa: Downloading [=======================>] 4 B/4 B\nbbb: Waiting\n'),
    ).toBe(true);
  });

  it('prints a plain line per status change when piped', () => {
    let text = '';
    const progress = new TransferProgress((t) => (text += t), false);
    progress.update(event('aaa', 'Downloading', 1, 4));
    progress.update(event('aaa', 'Downloading', 2, 4));
    progress.update(event('aaa', 'Pull complete', null, null));
    expect(text).toBe('aaa: Downloading\naaa: Pull complete\n');
  });
});

describe('berth image', () => {
  it('build sends the context less what .dockerignore excludes, streaming the output', async () => {
    dockerfile('COPY . /ctx', 'RUN echo x > /x && find /ctx -type f | sort');
    const built = await world.run(['image', 'build', '-t', `${repo}:1`, context], {
      env: world.env(),
    });
    expect(built.code).toBe(0);
    expect(built.err).toContain(
      'Sending build context: 3 files (.dockerignore, Dockerfile, kept.txt)',
    );
    expect(built.err).not.toContain('secret.txt');
    expect(built.out).toContain('/ctx/kept.txt');
    expect(built.out).toContain('/ctx/Dockerfile');
    expect(built.out).not.toContain('secret.txt');
    expect(built.out).not.toContain('debug.log');
    expect(built.out).toMatch(/^Step 3\/4 : COPY \. \/ctx$/m);
    expect(built.out).toContain(`as ${repo}:1`);
    expect(await imageId(`${repo}:1`)).not.toBeNull();
  });

  it('a failed build exits 1 with its step and error', async () => {
    dockerfile('RUN echo failing && exit 3');
    const failed = await world.run(['image', 'build', '-t', `${repo}:broken`, context], {
      env: world.env(),
    });
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('failing');
    expect(failed.err).toMatch(
      /^error: build failed at Step 3\/3 : RUN echo failing && exit 3: .*3/m,
    );
    expect(await imageId(`${repo}:broken`)).toBeNull();
  });

  it('tag, history and inspect; rm reports each image and exits 1 if one failed', async () => {
    const tag = await world.run(['image', 'tag', `${repo}:1`, `${repo}:two`], { env: world.env() });
    expect(tag).toMatchObject({ code: 0, out: `${repo}:1 tagged ${repo}:two\n` });
    expect(await imageId(`${repo}:two`)).toBe(await imageId(`${repo}:1`));

    const history = await world.run(['image', 'history', `${repo}:two`], { env: world.env() });
    expect(history.code).toBe(0);
    expect(history.out.split('\n')[0]).toMatch(/^IMAGE\s+CREATED\s+CREATED BY\s+SIZE/);
    expect(history.out).toContain('echo x > /x');
    const yaml = await world.run(['image', 'history', `${repo}:two`, '-o', 'yaml'], {
      env: world.env(),
    });
    expect(ImageHistory.parse(parse(yaml.out)).layers.length).toBeGreaterThan(1);

    const inspect = await world.run(['image', 'inspect', `${repo}:two`], { env: world.env() });
    expect((JSON.parse(inspect.out) as { RepoTags: string[] }).RepoTags).toContain(`${repo}:two`);

    const rm = await world.run(['image', 'rm', `${repo}:two`, `${repo}:missing`], {
      env: world.env(),
    });
    expect(rm.code).toBe(1);
    expect(rm.out).toContain(`${repo}:two: removed`);
    expect(rm.err).toMatch(new RegExp(`error: ${repo}:missing: .+`));
    expect(await imageId(`${repo}:two`)).toBeNull();
    expect(await imageId(`${repo}:1`)).not.toBeNull();
  });

  it('prune asks, or with --yes removes the dangling image (only this test’s, by label)', async () => {
    const before = await imageId(`${repo}:1`);
    dockerfile('RUN echo other > /other');
    const rebuilt = await world.run(['image', 'build', '-t', `${repo}:1`, context], {
      env: world.env(),
    });
    expect(rebuilt.code).toBe(0);
    expect(await imageId(before ?? '')).toBe(before);
    const label = ['--filter-label', `${TEST_LABEL}=${engine.runId}`];
    const refused = await world.run(['image', 'prune', ...label], { env: world.env() });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--yes');
    const pruned = await world.run(['image', 'prune', ...label, '--yes'], { env: world.env() });
    expect(pruned.code).toBe(0);
    expect(pruned.out).toContain('Reclaimed');
    expect(await imageId(before ?? '')).toBeNull();
    expect(await imageId(`${repo}:1`)).not.toBeNull();
  });

  it('push and pull against a registry, with plain progress lines when piped', async () => {
    const ref = `${registry.host}/berth-cli-${engine.runId}/img:1`;
    const tag = await world.run(['image', 'tag', `${repo}:1`, ref], { env: world.env() });
    expect(tag.code).toBe(0);
    const push = await world.run(['image', 'push', ref], { env: world.env() });
    expect(push.code).toBe(0);
    // Piped: a line when a layer's status changes, never one per byte count.
    expect(push.err).toMatch(/^[0-9a-f]{12}: Pushed$/m);
    const pushing = push.err.split('\n').filter((l) => l.endsWith(': Pushing'));
    expect(new Set(pushing).size).toBe(pushing.length);
    expect(push.out).toMatch(new RegExp(`^${ref}: pushed \\(sha256:[0-9a-f]{64}\\)$`, 'm'));
    expect((await world.run(['image', 'rm', ref], { env: world.env() })).code).toBe(0);

    const pull = await world.run(['image', 'pull', ref], { env: world.env() });
    expect(pull.code).toBe(0);
    expect(pull.out).toContain(`${ref}: pulled`);
    expect(pull.err).toContain('Digest: sha256:');
    expect(pull.err).not.toContain('\u001b[');
    expect(await imageId(ref)).toBe(await imageId(`${repo}:1`));
  });

  it('--target stops at a stage; --no-cache runs every step again', async () => {
    dockerfile('RUN echo base > /base', 'FROM base', 'RUN echo final > /final');
    writeFileSync(
      join(context, 'Dockerfile'),
      readFileSync(join(context, 'Dockerfile'), 'utf8').replace(/^FROM (\S+)$/m, 'FROM $1 AS base'),
    );
    const args = ['image', 'build', '-t', `${repo}:base`, '--target', 'base', context];
    const first = await world.run(args, { env: world.env() });
    expect(first.code).toBe(0);
    expect(first.out).not.toContain('echo final');
    const cached = await world.run(args, { env: world.env() });
    expect(cached.out).toContain('Using cache');
    const fresh = await world.run([...args, '--no-cache'], { env: world.env() });
    expect(fresh.code).toBe(0);
    expect(fresh.out).not.toContain('Using cache');
    const history = await world.run(['image', 'history', `${repo}:base`], { env: world.env() });
    expect(history.out).toContain('echo base > /base');
    expect(history.out).not.toContain('echo final');
  });

  it('--dry-run prints the docker command and the request, and builds nothing', async () => {
    const dry = await world.run(
      ['--dry-run', 'image', 'build', '-t', `${repo}:dry`, '--build-arg', 'A=1', context],
      { env: world.env() },
    );
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`docker build --tag ${repo}:dry --build-arg A=1 ${context}`);
    expect(dry.out).toContain('POST /api/hosts/local/images/build/context?tag=');
    expect(await imageId(`${repo}:dry`)).toBeNull();
  });
});
