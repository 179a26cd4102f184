import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineFixtures } from '../../../server/src/testing/test-engine.js';
import { cliMain, CliWorld } from './cli-harness.js';

const world = new CliWorld();
const engine = new EngineFixtures();
let container = '';
let bin = '';
const scripts: Record<'bash' | 'zsh' | 'fish', string> = { bash: '', zsh: '', fish: '' };

/** Runs a shell command line with `berth` on PATH and the world's home; answers its stdout. */
function shell(program: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    const child = spawn(program, args, {
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        HOME: world.home,
        NO_COLOR: '1',
        ...env,
      },
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

const lines = (text: string): string[] => text.split('\n').filter(Boolean);

beforeAll(async () => {
  await world.start();
  await engine.createContainer('complete', ['sleep', '300']);
  container = engine.name('complete');
  // `berth` as a user has it on PATH: the scripts call it back for values.
  bin = join(world.home, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'berth'), `#!/bin/sh\nexec '${process.execPath}' '${cliMain}' "$@"\n`);
  chmodSync(join(bin, 'berth'), 0o755);
  for (const name of ['bash', 'zsh', 'fish'] as const) {
    const made = await world.run(['completion', name]);
    expect(made.code).toBe(0);
    scripts[name] = join(world.home, `berth.${name}`);
    writeFileSync(scripts[name], made.out);
  }
  // Logged in through a context, as `berth login` leaves it; a second context to complete.
  await world.run(['context', 'add', 'here', '--url', world.base, '--token', world.adminToken]);
  await world.run(['context', 'add', 'there', '--url', world.base]);
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

/** bash: the function `complete -p` names, called with COMP_WORDS as bash would. */
async function bashComplete(words: string[]): Promise<string[]> {
  const array = words.map((w) => `'${w}'`).join(' ');
  const result = await shell('bash', [
    '-c',
    `source '${scripts.bash}'
     fn=$(complete -p berth | sed -E 's/.*-F ([^ ]+) .*/\\1/')
     COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}
     "$fn" berth
     printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  expect(result.err).toBe('');
  return lines(result.out);
}

describe('berth completion', () => {
  it('refuses an unknown shell (exit 2)', async () => {
    expect(await world.run(['completion', 'tcsh'])).toMatchObject({ code: 2 });
  });

  it('bash: registers with complete, completes commands, flags, contexts and containers', async () => {
    const registered = await shell('bash', ['-c', `source '${scripts.bash}'; complete -p berth`]);
    expect(registered.out.trim()).toBe('complete -o default -F _berth berth');
    expect(await bashComplete(['berth', 'log'])).toEqual(['login', 'logout', 'logs']);
    expect(await bashComplete(['berth', 'get', 'c'])).toEqual(['containers', 'container']);
    expect(await bashComplete(['berth', 'get', 'ps', '--sel'])).toEqual(['--selector']);
    expect(await bashComplete(['berth', 'get', 'ps', '-o', 'y'])).toEqual(['yaml']);
    expect(await bashComplete(['berth', 'context', 'use', ''])).toEqual(['here', 'there']);
    expect(await bashComplete(['berth', '--context', 'th'])).toEqual(['there']);
    expect(await bashComplete(['berth', 'get', 'containers', container.slice(0, -1)])).toEqual([
      container,
    ]);
  });

  it('zsh: registers _berth with compdef and completes the same', async () => {
    const result = await shell('zsh', [
      '-fc',
      `source '${scripts.zsh}'
       print -r -- "comp=\${_comps[berth]}"
       print -r -- "--"; __berth_candidates co
       print -r -- "--"; __berth_candidates '' context use
       print -r -- "--"; __berth_candidates '' get containers`,
    ]);
    expect(result.err).toBe('');
    const [registered, top, contexts, containers] = result.out.split('--\n');
    expect(registered?.trim()).toBe('comp=_berth');
    expect(lines(top ?? '')).toEqual(expect.arrayContaining(['context', 'contexts', 'completion']));
    expect(lines(contexts ?? '')).toEqual(['here', 'there']);
    expect(lines(containers ?? '')).toContain(container);
  });

  it('fish: completes commands, contexts and containers through complete -C', async () => {
    const result = await shell('fish', [
      '-c',
      `source '${scripts.fish}'
       complete -C'berth con'; echo SEP
       complete -C'berth context use '; echo SEP
       complete -C'berth get containers '`,
    ]);
    expect(result.err).toBe('');
    const [top, contexts, containers] = result.out.split('SEP\n');
    expect(lines(top ?? '')).toEqual(['context', 'contexts']);
    expect(lines(contexts ?? '')).toEqual(['here', 'there']);
    expect(lines(containers ?? '')).toContain(container);
  });

  it('__complete is silent when not logged in or the server is away', async () => {
    const none = await world.run(['__complete', 'get', 'containers', ''], {
      env: { HOME: join(world.home, 'nobody') },
    });
    expect(none).toEqual({ code: 0, out: '', err: '' });
    const away = await world.run(['__complete', 'get', 'containers', ''], {
      env: { BERTH_URL: 'http://127.0.0.1:9', BERTH_TOKEN: 'x' },
    });
    expect(away).toEqual({ code: 0, out: '', err: '' });
  });
});
