import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellJoin, shellQuote, splitShellWords } from './shell-words.js';

const scratch = mkdtempSync(join(tmpdir(), 'berth-shell-words-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const TRICKY = [
  '',
  'hello world',
  "it's",
  "''",
  '"double" quotes',
  `$(touch ${join(scratch, 'subshell')})`,
  `\`touch ${join(scratch, 'backtick')}\``,
  'line one\nline two\n',
  'héllo ☃ 日本語 🚢',
  '$HOME ${PATH} \\ * ? ~ # ! ; | & < > ( ) { } [ ] ^',
  '~root',
  '#comment',
  '=ls',
  '\ttab and trailing space ',
  '-n',
  'a\\b',
];

/** The shells that are installed here; sh is always. */
const SHELLS = ['sh', 'bash', 'dash', 'zsh'].filter(
  (shell) => spawnSync(shell, ['-c', 'true']).status === 0,
);

describe('shellQuote', () => {
  it('leaves words of safe characters bare', () => {
    for (const word of ['plain', 'KEY=value', 'host:8080', '/srv/data', 'user@example.com']) {
      expect(shellQuote(word)).toBe(word);
    }
    expect(shellQuote('ghcr.io/acme/shop-api:1.4.2')).toBe('ghcr.io/acme/shop-api:1.4.2');
    expect(shellQuote('--env=A=b,c%d+e')).toBe('--env=A=b,c%d+e');
  });

  it('quotes everything else', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('hello world')).toBe("'hello world'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('"double"')).toBe(`'"double"'`);
    expect(shellQuote('$(touch /tmp/x)')).toBe("'$(touch /tmp/x)'");
    expect(shellQuote('`id`')).toBe("'`id`'");
    expect(shellQuote('a\nb')).toBe("'a\nb'");
    expect(shellQuote('héllo')).toBe("'héllo'");
    expect(shellQuote('a^b')).toBe("'a^b'");
    expect(shellQuote('~')).toBe("'~'");
    expect(shellQuote('=ls')).toBe("'=ls'");
  });

  it.each(SHELLS)('round-trips every tricky word through %s without running any of it', (sh) => {
    for (const word of TRICKY) {
      const result = spawnSync(sh, ['-c', `printf '%s\\n' ${shellQuote(word)}`], {
        encoding: 'utf8',
      });
      expect(result.status, word).toBe(0);
      expect(result.stdout, word).toBe(`${word}\n`);
    }
    expect(['subshell', 'backtick'].filter((name) => existsSync(join(scratch, name)))).toEqual([]);
  });
});

describe('shellJoin', () => {
  it('quotes each word that needs it', () => {
    expect(shellJoin(['docker', 'exec', 'web', 'sh', '-c', 'echo $HOME'])).toBe(
      "docker exec web sh -c 'echo $HOME'",
    );
    expect(shellJoin([])).toBe('');
  });

  it('gives sh back the same argv', () => {
    const result = spawnSync(
      'sh',
      ['-c', `for a in ${shellJoin(TRICKY)}; do printf '[%s]' "$a"; done`],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stdout).toBe(TRICKY.map((word) => `[${word}]`).join(''));
  });
});

describe('splitShellWords', () => {
  it('joins lines continued with a backslash, as a shell does, outside single quotes only', () => {
    const pasted = 'docker run -d \\\n  --name web \\\r\n  -e "A=1\\\n2" \\\n  \'x\\\ny\' nginx';
    expect(splitShellWords(pasted)).toEqual([
      'docker',
      'run',
      '-d',
      '--name',
      'web',
      '-e',
      'A=12',
      'x\\\ny',
      'nginx',
    ]);
    const result = spawnSync(
      'sh',
      ['-c', `for a in ${pasted.replaceAll('\r\n', '\n')}; do printf '[%s]' "$a"; done`],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stdout).toBe(
      splitShellWords(pasted)
        .map((word) => `[${word}]`)
        .join(''),
    );
  });

  it('is the inverse of shellJoin', () => {
    expect(splitShellWords(shellJoin(TRICKY))).toEqual(TRICKY);
  });

  it.each([
    ['plain words', ['sleep', '600']],
    ['spaces and quotes', ['sh', '-c', `echo "it's here"; echo 'a  b'`]],
    ['an empty word and dollar signs', ['printf', '', '$HOME', '$(touch /tmp/x)']],
    ['backslashes and newlines', ['a\\b', 'line1\nline2', '\\"']],
  ])('round-trips %s', (_label, words) => {
    expect(splitShellWords(shellJoin(words))).toEqual(words);
  });

  it('reads what people type', () => {
    expect(splitShellWords(`sh -c "echo \\"hi\\"; sleep 1"`)).toEqual([
      'sh',
      '-c',
      'echo "hi"; sleep 1',
    ]);
    expect(splitShellWords(`  a\\ b   'c d'  `)).toEqual(['a b', 'c d']);
    expect(splitShellWords('')).toEqual([]);
    expect(() => splitShellWords(`echo 'oops`)).toThrow(/unclosed single quote/);
    expect(() => splitShellWords(`echo "oops`)).toThrow(/unclosed double quote/);
  });
});
