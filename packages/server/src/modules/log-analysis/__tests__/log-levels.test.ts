import { regexProblem } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { detectLevel, normaliseLine } from '../log-levels.js';

describe('log levels and line shapes', () => {
  it('reads the level of the common formats', () => {
    const cases: [string, string | null][] = [
      ['level=error msg="x"', 'error'],
      ['time=1 lvl=warn msg=x', 'warn'],
      ['{"level":"info","msg":"ready"}', 'info'],
      ['{"level":50,"msg":"pino"}', 'error'],
      ['{"severity":"DEBUG"}', 'debug'],
      ['[ERROR] boom', 'error'],
      ['2024-01-01 12:00:00 [warn] slow', 'warn'],
      ['ERROR: disk full', 'error'],
      ['2024-01-01T00:00:00Z WARNING something', 'warn'],
      ['FATAL cannot start', 'error'],
      ['error: no such file', 'error'],
      ['Errors are fine here', null],
      ['information superhighway', null],
      ['plain line', null],
    ];
    for (const [line, level] of cases) expect(detectLevel(line), line).toBe(level);
  });

  it('normalises numbers, hex and UUIDs so repeats count as one', () => {
    expect(normaliseLine('req 123 took 4.5ms')).toBe('req <n> took <n>ms');
    expect(normaliseLine('id 0xdeadbeef and deadbeef01')).toBe('id <hex> and <hex>');
    expect(normaliseLine('user 3f2b8c1e-9d4a-4b6f-8e2a-1c3d5e7f9a0b gone')).toBe(
      'user <uuid> gone',
    );
    // A word of hex letters alone is a word.
    expect(normaliseLine('cafebabe facade')).toBe('cafebabe facade');
  });

  it('accepts ordinary patterns and refuses the ones that can backtrack exponentially', () => {
    for (const ok of [
      'timeout',
      'took \\d+ms',
      'disk full|db down',
      '(GET|POST) /api',
      '[a+]+',
      'a{2,3}b',
    ])
      expect(regexProblem(ok), ok).toBeNull();
    for (const bad of ['(a+)+', '(a|aa)*', '((ab)*)+', '(a*){2,}', '(\\d)\\1', '('])
      expect(regexProblem(bad), bad).not.toBeNull();
  });
});
