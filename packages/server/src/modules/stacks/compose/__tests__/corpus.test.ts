import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../index.js';
import type { LoadInput } from '../../stack-ports.js';

/**
 * Each folder of corpus/ is a stack: its compose files, maybe a `.env`, an `input.json` with
 * the loader's other inputs (profiles, env, configFiles relative to the folder), and what the
 * loader must answer, written by hand from the compose spec: `expected.json` (the normalized
 * project) or `expected-issues.json`. `<dir>` stands for the folder's absolute path.
 */
const corpus = join(import.meta.dirname, 'corpus');
const DIR = '<dir>';

async function read(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const json = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const withDir = (value: unknown, dir: string): unknown =>
  JSON.parse(JSON.stringify(value).replaceAll(dir, DIR));

describe('compose corpus', () => {
  const cases = readdirSync(corpus, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);

  it('has a case per feature', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(corpus, name);
    const extra = existsSync(join(dir, 'input.json'))
      ? (json(join(dir, 'input.json')) as Partial<LoadInput>)
      : {};
    const result = await loadProject({
      name: name.replaceAll(/[^a-z0-9_-]/g, ''),
      workingDir: dir,
      read,
      ...extra,
      ...(extra.configFiles ? { configFiles: extra.configFiles.map((f) => join(dir, f)) } : {}),
    });
    const expectedIssues = join(dir, 'expected-issues.json');
    if (existsSync(expectedIssues)) {
      expect(result.ok ? 'loaded' : withDir(result.issues, dir)).toEqual(json(expectedIssues));
      return;
    }
    if (!result.ok) expect.fail(`issues: ${JSON.stringify(result.issues, null, 2)}`);
    expect(withDir(result.project, dir)).toEqual(json(join(dir, 'expected.json')));
    const expectedWarnings = join(dir, 'expected-warnings.json');
    expect(withDir(result.warnings, dir)).toEqual(
      existsSync(expectedWarnings) ? json(expectedWarnings) : [],
    );
  });
});
