import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

describe('berth', () => {
  it('prints its version for --version, -v and version', async () => {
    for (const args of [['--version'], ['-v'], ['version']]) {
      const { code, out } = await runCli(args);
      expect(code).toBe(0);
      expect(out).toMatch(/^berth \d+\.\d+\.\d+\n$/);
    }
  });

  it('leaves -v after a command to that command (rm -v is volumes, not the version)', async () => {
    const rm = await runCli(['rm', '-f', '-v', 'web']);
    expect(rm.out).not.toMatch(/^berth \d/);
    expect(rm).toMatchObject({ code: 1, err: expect.stringContaining('berth login') });
  });

  it('shows help with --help, and usage with exit 2 when given nothing', async () => {
    expect(await runCli(['--help'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('Usage: berth'),
    });
    expect(await runCli([])).toMatchObject({
      code: 2,
      out: expect.stringContaining('Usage: berth'),
    });
  });

  it('rejects an unknown command or option with exit 2', async () => {
    expect(await runCli(['launch'])).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown command 'launch'"),
    });
    expect(await runCli(['--frobnicate'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('frobnicate'),
    });
  });
});
