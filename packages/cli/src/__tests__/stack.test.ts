import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComposeProject, StackDetail, StackPlan } from '@berth/contract';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../server/src/testing/test-engine.js';
import { waitFor } from '../../../server/src/testing/wait-for.js';
import { CliWorld } from './cli-harness.js';

const world = new CliWorld();
const engine = new EngineFixtures();
const name = `clistack${engine.runId}`;
const folder = join(world.home, name);
const file = join(folder, 'compose.yaml');

function compose(mode: string): string {
  const service = (svc: string) => [
    `  ${svc}:`,
    `    image: ${TEST_IMAGE}`,
    `    command: ["sh", "-c", "echo hello from ${svc}; sleep 300"]`,
    `    stop_grace_period: 1s`,
    `    labels: { ${TEST_LABEL}: "${engine.runId}" }`,
  ];
  return [
    'services:',
    ...service('web'),
    '    environment:',
    `      MODE: ${mode}`,
    ...service('worker'),
    '',
  ].join('\n');
}

async function stackContainers(): Promise<string[]> {
  const list = await engine.client.listContainers({
    label: [`com.docker.compose.project=${name}`],
  });
  return list.map((c) => `${c.Labels?.['com.docker.compose.service'] ?? '?'}:${c.State}`).sort();
}

beforeAll(async () => {
  await world.start();
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, compose('one'));
});
afterAll(async () => {
  await world.run(['stack', 'down', '-p', name], { env: world.env() });
  await engine.cleanup();
  await world.stop();
});

describe('berth stack', () => {
  it('plan -f shows two creates and creates nothing; the name comes from the folder', async () => {
    const plan = await world.run(['stack', 'plan', '-f', file], { env: world.env() });
    expect(plan.err).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.out).toContain(`Plan for stack ${name} on local:`);
    expect(plan.out).toMatch(/\+ create\s+web/);
    expect(plan.out).toMatch(/\+ create\s+worker/);
    expect(plan.out).toContain('2 to create');

    const json = await world.run(['stack', 'plan', '-f', file, '-o', 'json'], { env: world.env() });
    const parsed = StackPlan.parse(JSON.parse(json.out));
    expect(parsed.services.map((s) => s.action)).toEqual(['create', 'create']);

    // config -f renders the local files, as docker compose config, before the stack exists.
    const config = await world.run(['stack', 'config', '-f', file, '-o', 'json'], {
      env: world.env(),
    });
    expect(config.code).toBe(0);
    expect(Object.keys(ComposeProject.parse(JSON.parse(config.out)).services).sort()).toEqual([
      'web',
      'worker',
    ]);

    const ls = await world.run(['stack', 'ls', '-o', 'name'], { env: world.env() });
    expect(ls.out).not.toContain(`stack/${name}`);
    expect(await stackContainers()).toEqual([]);
  });

  it('a viewer is refused up with exit 1 and the server’s message', async () => {
    const viewer = await world.userToken('stackviewer', 'viewer');
    const up = await world.run(['stack', 'up', '-f', file], { env: world.env(viewer) });
    expect(up.code).toBe(1);
    expect(up.err).toMatch(/^error: forbidden: .+/m);
    expect(await stackContainers()).toEqual([]);
  });

  it('--dry-run up prints the plan and the requests and changes nothing', async () => {
    const dry = await world.run(['--dry-run', 'stack', 'up', '-f', file], { env: world.env() });
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/\+ create\s+web/);
    expect(dry.out).toContain('POST /api/hosts/local/stacks');
    expect(dry.out).toContain(`docker compose -p ${name} up --detach --remove-orphans`);
    expect(await stackContainers()).toEqual([]);
  });

  it('up makes both run; ps lists them; config -o json parses', async () => {
    const up = await world.run(['stack', 'up', '-f', file], { env: world.env() });
    expect(up.code).toBe(0);
    expect(up.out).toContain(`stack/${name} created`);
    expect(up.out).toMatch(/^web: done/m);
    expect(up.out).toMatch(/^worker: done/m);
    expect(await stackContainers()).toEqual(['web:running', 'worker:running']);

    const ps = await world.run(['stack', 'ps', '-p', name], { env: world.env() });
    expect(ps.code).toBe(0);
    expect(ps.out.split('\n')[0]).toMatch(/^SERVICE\s+NAME\s+STATE\s+STATUS\s+IMAGE/);
    expect(ps.out).toMatch(/web\s+\S+\s+running/);
    expect(ps.out).toMatch(/worker\s+\S+\s+running/);
    const psJson = await world.run(['stack', 'ps', '-p', name, '-o', 'json'], { env: world.env() });
    expect(StackDetail.parse(JSON.parse(psJson.out)).state).toBe('running');

    const config = await world.run(['stack', 'config', '-p', name, '-o', 'json'], {
      env: world.env(),
    });
    expect(config.code).toBe(0);
    const project = ComposeProject.parse(JSON.parse(config.out));
    expect(Object.keys(project.services).sort()).toEqual(['web', 'worker']);
  });

  it('logs prefixes each line with its service', async () => {
    let last = '';
    await waitFor('both services to have logged', async () => {
      const r = await world.run(['stack', 'logs', '-p', name], { env: world.env() });
      last = r.out + r.err;
      return r.out.includes('hello from web') && r.out.includes('hello from worker');
    }).catch(() => undefined);
    expect(last).toMatch(/^web {4}\| hello from web$/m);
    expect(last).toMatch(/^worker \| hello from worker$/m);
    const followed = await world.run(
      ['stack', 'logs', '-p', name, '--follow', '--until', new Date().toISOString()],
      { env: world.env() },
    );
    expect(followed.code).toBe(0);
    expect(followed.out).toMatch(/^web {4}\| hello from web$/m);
    expect(followed.out).toMatch(/^worker \| hello from worker$/m);
    const only = await world.run(['stack', 'logs', '-p', name, 'worker'], { env: world.env() });
    expect(only.out).not.toContain('hello from web');
  });

  it('after an edit, plan shows one recreate; apply -f applies it', async () => {
    writeFileSync(file, compose('two'));
    const plan = await world.run(['stack', 'plan', '-f', file], { env: world.env() });
    expect(plan.code).toBe(0);
    expect(plan.out).toMatch(/~ recreate\s+web\s+\(environment\.MODE\)/);
    expect(plan.out).toMatch(/= unchanged\s+worker/);
    expect(plan.out).toContain('1 to recreate');

    const apply = await world.run(['apply', '-f', file], { env: world.env() });
    expect(apply.code).toBe(0);
    expect(apply.out).toContain('updated compose.yaml');
    expect(apply.out).toMatch(/^web: done/m);
    const again = await world.run(['stack', 'plan', '-p', name], { env: world.env() });
    expect(again.out).toContain('Nothing to change.');
  });

  it('restart and stop act on the services named, each reported', async () => {
    const restart = await world.run(['stack', 'restart', '-p', name, 'web'], { env: world.env() });
    expect(restart.code).toBe(0);
    expect(restart.out).toMatch(/^web: done/m);
    expect(restart.out).not.toContain('worker');
    const stop = await world.run(['stack', 'stop', '-p', name, 'worker'], { env: world.env() });
    expect(stop.code).toBe(0);
    expect(await stackContainers()).toEqual(['web:running', 'worker:exited']);
    const ls = await world.run(['stack', 'ls'], { env: world.env() });
    expect(ls.out).toMatch(new RegExp(`${name}\\s+partial\\s+1/2 running`));
  });

  it('down removes the containers (and --volumes without a terminal asks for --yes)', async () => {
    const refused = await world.run(['stack', 'down', '-p', name, '--volumes'], {
      env: world.env(),
    });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--yes');
    const down = await world.run(['stack', 'down', '-p', name], { env: world.env() });
    expect(down.code).toBe(0);
    expect(await stackContainers()).toEqual([]);
  });
});
