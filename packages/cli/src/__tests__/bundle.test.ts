import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerList } from '@berth/contract';
import { CliWorld, type CliResult } from './cli-harness.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
/** The one-file CLI `npm run build` (and `npm test`) makes. */
const bundle = join(root, 'packages', 'cli', 'dist', 'berth.mjs');
const world = new CliWorld();
const outside = mkdtempSync(join(tmpdir(), 'berth-bundle-'));
const copy = join(outside, 'berth.mjs');

/** Runs the copied bundle from a folder outside the repository, where no node_modules is. */
function runBundle(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [copy, ...args], {
      cwd: outside,
      env: { PATH: process.env.PATH ?? '', HOME: outside, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

beforeAll(async () => {
  if (!existsSync(bundle))
    throw new Error(`${bundle} is missing: npm run build (or npm test) makes it`);
  copyFileSync(bundle, copy);
  await world.start();
});
afterAll(async () => {
  await world.stop();
  rmSync(outside, { recursive: true, force: true });
});

describe('the berth bundle (dist/berth.mjs)', () => {
  it('is one file that needs no node_modules: no folder above the copy has one', () => {
    for (let dir = outside; ; dir = dirname(dir)) {
      expect(existsSync(join(dir, 'node_modules'))).toBe(false);
      if (dirname(dir) === dir) break;
    }
    expect(readFileSync(copy, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints its version, written in at build time', async () => {
    const { version } = JSON.parse(
      readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(await runBundle(['--version'])).toEqual({ code: 0, out: `berth ${version}\n`, err: '' });
  });

  it('talks to a server: get containers -o json parses back to the contract', async () => {
    const result = await runBundle(['get', 'containers', '-o', 'json'], world.env());
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(ContainerList.parse(JSON.parse(result.out)).containers).toBeInstanceOf(Array);
  });
});
