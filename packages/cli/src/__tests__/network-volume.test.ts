import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NetworkDetail, VolumeBackupList, VolumeSummary } from '@berth/contract';
import type { RawContainerInspect } from '../../../server/src/docker/engine-types.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../server/src/testing/test-engine.js';
import { CliWorld } from './cli-harness.js';

const world = new CliWorld();
const engine = new EngineFixtures();
let label = '';

beforeAll(async () => {
  await world.start();
  label = `${TEST_LABEL}=${engine.runId}`;
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

const inspect = (ref: string): Promise<RawContainerInspect> =>
  engine.client.request<RawContainerInspect>('GET', `/containers/${ref}/json`);

async function networkNames(): Promise<string[]> {
  return (await engine.client.listNetworks({ label: [label] })).map((n) => n.Name);
}

describe('berth network', () => {
  it('creates, connects, disconnects and removes a network', async () => {
    const env = { env: world.env() };
    const name = engine.name('net');
    const created = await world.run(['network', 'create', name, '-l', label], env);
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    expect(created.out.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(await networkNames()).toEqual([name]);

    const shown = await world.run(['network', 'inspect', name], env);
    expect(NetworkDetail.parse(JSON.parse(shown.out)).name).toBe(name);

    const id = await engine.createContainer('member', ['sleep', '300']);
    await engine.start(id);
    const member = engine.name('member');
    const connected = await world.run(['network', 'connect', '--alias', 'db', name, member], env);
    expect(connected.code).toBe(0);
    expect(connected.out).toMatch(new RegExp(`^${member}(: [\\d.]+)?\\n$`));
    expect((await inspect(id)).NetworkSettings.Networks?.[name]?.Aliases).toContain('db');

    const disconnected = await world.run(['network', 'disconnect', name, member], env);
    expect(disconnected.code).toBe(0);
    expect(Object.keys((await inspect(id)).NetworkSettings.Networks ?? {})).not.toContain(name);

    const removed = await world.run(['network', 'rm', name, engine.name('nonet')], env);
    expect(removed.code).toBe(1);
    expect(removed.out).toBe(`${name}\n`);
    expect(removed.err).toContain(engine.name('nonet'));
    expect(await networkNames()).toEqual([]);
  });

  it('--dry-run prints docker network create and the request, creating nothing', async () => {
    const name = engine.name('drynet');
    const dry = await world.run(['--dry-run', 'network', 'create', name, '--internal'], {
      env: world.env(),
    });
    expect(dry.code).toBe(0);
    expect(dry.out.split('\n').slice(0, 2)).toEqual([
      `docker network create --driver bridge --internal ${name}`,
      'POST /api/hosts/local/networks',
    ]);
    expect(await networkNames()).toEqual([]);
  });

  it('prune refuses without a terminal unless -f, and removes only what the filter names', async () => {
    const name = engine.name('unused');
    expect(
      (await world.run(['network', 'create', name, '-l', label], { env: world.env() })).code,
    ).toBe(0);
    const filter = ['--filter', `label=${label}`];
    const refused = await world.run(['network', 'prune', ...filter], { env: world.env() });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('add --force to confirm');
    expect(await networkNames()).toEqual([name]);
    const pruned = await world.run(['network', 'prune', ...filter, '-f'], { env: world.env() });
    expect(pruned).toMatchObject({ code: 0, out: `${name}\n` });
    expect(await networkNames()).toEqual([]);
  });
});

describe('berth volume', () => {
  it('creates a volume, backs it up and restores it: a file written in it survives', async () => {
    const env = { env: world.env() };
    const volume = engine.name('data');
    const restored = engine.name('restored');
    expect(await world.run(['volume', 'create', volume, '-l', label], env)).toMatchObject({
      code: 0,
      out: `${volume}\n`,
    });
    const write = await world.run(
      [
        'run',
        '--rm',
        '-l',
        label,
        '-v',
        `${volume}:/data`,
        TEST_IMAGE,
        'sh',
        '-c',
        'echo kept > /data/file',
      ],
      env,
    );
    expect(write.code).toBe(0);

    const backup = await world.run(['volume', 'backup', volume], env);
    expect(backup.code).toBe(0);
    const backupId = backup.out.trim();
    const listed = await world.run(['volume', 'backups', volume, '-o', 'json'], env);
    expect(VolumeBackupList.parse(JSON.parse(listed.out)).backups.map((b) => b.id)).toEqual([
      backupId,
    ]);

    const restore = await world.run(
      ['volume', 'restore', volume, backupId, '--target', restored],
      env,
    );
    expect(restore.err).toContain('files restored');
    expect(restore).toMatchObject({ code: 0, out: `${restored}\n` });
    const read = await world.run(
      ['run', '--rm', '-l', label, '-v', `${restored}:/data:ro`, TEST_IMAGE, 'cat', '/data/file'],
      env,
    );
    expect(read).toMatchObject({ code: 0, out: 'kept\n' });

    const shown = await world.run(['volume', 'inspect', restored, '-o', 'yaml'], env);
    expect(shown.code).toBe(0);
    expect(VolumeSummary.parse(parse(shown.out)).name).toBe(restored);
    const removed = await world.run(['volume', 'rm', restored], env);
    expect(removed).toMatchObject({ code: 0, out: `${restored}\n` });
  });

  it('--dry-run of a backup prints the tar equivalent and backs nothing up', async () => {
    const volume = engine.name('drydata');
    expect(
      (await world.run(['volume', 'create', volume, '-l', label], { env: world.env() })).code,
    ).toBe(0);
    const dry = await world.run(['volume', 'backup', volume, '--dry-run'], { env: world.env() });
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`docker run --rm --volume ${volume}:/volume:ro`);
    expect(dry.out).toContain(`POST /api/hosts/local/volumes/${volume}/backups`);
    const listed = await world.run(['volume', 'backups', volume, '-o', 'json'], {
      env: world.env(),
    });
    expect(VolumeBackupList.parse(JSON.parse(listed.out)).backups).toEqual([]);
  });
});
