import { describe, expect, it } from 'vitest';
import { readLocalBoardModel } from '../board-model.js';
import { classifyHardware } from '../hardware-profile.js';

const GIB = 1024 ** 3;

describe('classifyHardware', () => {
  it.each([
    { cpus: 1, memoryBytes: 1 * GIB, model: null, profile: 'low-end', recommended: 20 },
    { cpus: 2, memoryBytes: 64 * GIB, model: null, profile: 'low-end', recommended: 20 },
    { cpus: 8, memoryBytes: 2 * GIB, model: null, profile: 'low-end', recommended: 20 },
    { cpus: 4, memoryBytes: 8 * GIB, model: null, profile: 'medium', recommended: 50 },
    { cpus: 8, memoryBytes: 12 * GIB, model: null, profile: 'medium', recommended: 50 },
    { cpus: 8, memoryBytes: 32 * GIB, model: null, profile: 'high-end', recommended: 100 },
    { cpus: 16, memoryBytes: 256 * GIB, model: null, profile: 'high-end', recommended: 100 },
    { cpus: 32, memoryBytes: 128 * GIB, model: null, profile: 'enterprise', recommended: 250 },
    {
      cpus: 4,
      memoryBytes: 8 * GIB,
      model: 'Raspberry Pi 5 Model B Rev 1.0',
      profile: 'raspberry-pi',
      recommended: 15,
    },
    {
      cpus: 4,
      memoryBytes: 1 * GIB,
      model: 'Raspberry Pi 3 Model B Plus Rev 1.3',
      profile: 'raspberry-pi',
      recommended: 8,
    },
    {
      cpus: 4,
      memoryBytes: 4 * GIB,
      model: 'Pine64 RockPro64',
      profile: 'medium',
      recommended: 50,
    },
  ])(
    '$cpus cpus, $memoryBytes bytes, model $model -> $profile',
    ({ cpus, memoryBytes, model, profile, recommended }) => {
      const result = classifyHardware({ cpus, memoryBytes, arch: 'aarch64', model });
      expect(result.profile).toBe(profile);
      expect(result.isRaspberryPi).toBe(profile === 'raspberry-pi');
      expect(result.recommendedContainers).toBe(recommended);
      expect(result.maxContainers).toBeGreaterThan(result.recommendedContainers);
      expect(result).toMatchObject({ cpus, memoryBytes, arch: 'aarch64', model });
    },
  );
});

describe('readLocalBoardModel', () => {
  const files = (entries: Record<string, string>) => (path: string) =>
    path in entries ? Promise.resolve(entries[path] ?? '') : Promise.reject(new Error('ENOENT'));

  it('reads the device-tree model, without its trailing NUL', async () => {
    expect(
      await readLocalBoardModel(
        files({ '/proc/device-tree/model': 'Raspberry Pi 4 Model B Rev 1.4\0' }),
      ),
    ).toBe('Raspberry Pi 4 Model B Rev 1.4');
  });

  it('falls back to the Model line of /proc/cpuinfo', async () => {
    const cpuinfo =
      'processor\t: 0\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 3 Model B Rev 1.2\n';
    expect(await readLocalBoardModel(files({ '/proc/cpuinfo': cpuinfo }))).toBe(
      'Raspberry Pi 3 Model B Rev 1.2',
    );
  });

  it('returns null on a machine with no board model', async () => {
    expect(
      await readLocalBoardModel(
        files({ '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: AMD EPYC\n' }),
      ),
    ).toBeNull();
  });
});
