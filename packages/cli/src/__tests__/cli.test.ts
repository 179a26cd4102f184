import { describe, expect, it } from 'vitest';
import { run } from '../cli.js';

function invoke(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(
    args,
    (l) => (out += `${l}\n`),
    (l) => (err += `${l}\n`),
  );
  return { code, out, err };
}

describe('berth', () => {
  it('prints its version for --version, -v and version', () => {
    for (const args of [['--version'], ['-v'], ['version']]) {
      const { code, out } = invoke(args);
      expect(code).toBe(0);
      expect(out).toMatch(/^berth \d+\.\d+\.\d+\n$/);
    }
  });

  it('shows help with --help, and usage with exit 2 when given nothing', () => {
    expect(invoke(['--help'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('Usage: berth'),
    });
    expect(invoke([])).toMatchObject({ code: 2, out: expect.stringContaining('Usage: berth') });
  });

  it('rejects an unknown command or option with exit 2', () => {
    expect(invoke(['launch'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "launch"'),
    });
    expect(invoke(['--frobnicate'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('frobnicate'),
    });
  });
});
