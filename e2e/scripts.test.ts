import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isStale, newestMtime } from '../scripts/lib/freshness.mjs';
import { lowest, nodeVersionProblem, satisfies } from '../scripts/lib/node-version.mjs';

/** `npm start` and `npm test` themselves: the Node.js check and the build that skips itself. */
const root = fileURLToPath(new URL('..', import.meta.url));
const engines = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    engines: { node: string };
  }
).engines.node;
const scratch = mkdtempSync(join(tmpdir(), 'berth-scripts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runNode(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', BERTH_DATA_DIR: join(scratch, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Node.js pretending to be another version, for the scripts' check to see. */
const fakeNode = (version: string): string =>
  `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`;

describe('the Node.js version check', () => {
  it('accepts the versions the engines field allows and nothing else', () => {
    const range = '^20.19.0 || ^22.13.0 || >=24 <27';
    for (const ok of ['20.19.0', '20.20.2', '22.13.0', '22.21.1', '24.0.0', '26.9.9'])
      expect([ok, satisfies(ok, range)]).toEqual([ok, true]);
    for (const bad of ['18.20.4', '20.18.3', '21.7.0', '22.12.0', '23.11.0', '27.0.0'])
      expect([bad, satisfies(bad, range)]).toEqual([bad, false]);
    expect(satisfies('20.19.0', '>=20.19')).toBe(true);
    expect(satisfies('v20.9.0', '>= 20.19')).toBe(false);
    expect(lowest(range)).toBe('20.19.0');
  });

  it('says in one line whether a version is too old or not supported', () => {
    expect(nodeVersionProblem('20.20.2', engines)).toBeNull();
    expect(nodeVersionProblem('18.20.4', engines)).toBe(
      `berth: Node.js 18.20.4 is too old: Berth needs ${engines} (package.json "engines"); install a supported Node.js and try again.`,
    );
    expect(nodeVersionProblem('21.7.0', engines)).toMatch(
      /^berth: Node.js 21.7.0 is not supported: /,
    );
  });

  it('stops npm start on an old Node.js with that line and exit code 1, before building anything', async () => {
    const result = await runNode(['--import', fakeNode('18.20.4'), 'scripts/start.mjs']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${nodeVersionProblem('18.20.4', engines) ?? ''}\n`);
  });

  it('checks the version first in npm test as in npm start', () => {
    for (const script of ['start.mjs', 'test.mjs']) {
      const firstImport = readFileSync(join(root, 'scripts', script), 'utf8')
        .split('\n')
        .find((line) => line.startsWith('import '));
      expect([script, firstImport]).toEqual([script, "import './lib/require-node.mjs';"]);
    }
  });
});

describe('the build that npm start runs', () => {
  it('calls a build stale only when a source is newer than its stamp', () => {
    const src = join(scratch, 'src');
    mkdirSync(join(src, 'nested'), { recursive: true });
    const file = join(src, 'nested', 'a.ts');
    const stamp = join(scratch, 'stamp');
    writeFileSync(file, 'x');
    expect(isStale([src], stamp)).toBe(true);
    writeFileSync(stamp, '');
    utimesSync(file, 1_000, 1_000);
    utimesSync(stamp, 2_000, 2_000);
    expect(newestMtime([src, join(scratch, 'missing')])).toBe(1_000_000);
    expect(isStale([src], stamp)).toBe(false);
    utimesSync(file, 3_000, 3_000);
    expect(isStale([src], stamp)).toBe(true);
  });

  it('does not rebuild the web app when nothing changed since the last build', async () => {
    // `npm test` has just built everything, as `npm start` would have.
    const stamp = join(root, 'packages', 'web', 'dist', '.berth-build');
    const index = join(root, 'packages', 'web', 'dist', 'index.html');
    const before = { stamp: statSync(stamp).mtimeMs, index: statSync(index).mtimeMs };
    const result = await runNode([
      '--input-type=module',
      '-e',
      `import { build } from './scripts/lib/ensure-deps.mjs'; await build(${JSON.stringify(root)});`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    // It says it is building before the compiler's silent seconds.
    expect(result.stdout).toMatch(/^berth: building the server.*\(tsc -b\)/m);
    expect(result.stdout).toContain('berth: the web app is up to date');
    expect(result.stdout).not.toContain('building the web app');
    expect({ stamp: statSync(stamp).mtimeMs, index: statSync(index).mtimeMs }).toEqual(before);
  });
});
