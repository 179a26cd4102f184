import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { waitFor } from '../../../server/src/testing/wait-for.js';
import { cliMain, type CliResult } from './cli-harness.js';

/**
 * A command run as a process whose output is read while it runs (`berth logs -f`), or under
 * another program (`script` for a terminal, `sh -c` for a pipe): wait for text, then end it.
 */
export class RunningCli {
  out = '';
  err = '';
  code: number | null = null;
  private readonly done: Promise<CliResult>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => (this.out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (this.err += d.toString()));
    this.done = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        this.code = code;
        resolve({ code, out: this.out, err: this.err });
      });
    });
  }

  /** `berth <args>` with this environment (HOME, BERTH_URL, BERTH_TOKEN). */
  static berth(args: string[], env: Record<string, string>): RunningCli {
    return RunningCli.spawn(process.execPath, [cliMain, ...args], env);
  }

  static spawn(file: string, args: string[], env: Record<string, string>): RunningCli {
    return new RunningCli(
      spawn(file, args, {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
  }

  /** Resolves once stdout matches; fails (with what came so far) if the process ended first. */
  async waitForOut(
    what: string,
    match: (out: string) => boolean,
    timeoutMs?: number,
  ): Promise<void> {
    await waitFor(
      what,
      () => {
        if (match(this.out)) return true;
        if (this.code !== null)
          throw new Error(`ended (${this.code}) first; out: ${this.out} err: ${this.err}`);
        return false;
      },
      timeoutMs,
    );
  }

  /** Resolves once stdout holds `text` (a shell's answer to what was typed). */
  seen(text: string): Promise<void> {
    return this.waitForOut(`"${text}" in the output`, (out) => out.includes(text), 20_000);
  }

  /** Writes to its stdin, left open: keys typed into a terminal. */
  type(text: string): void {
    this.child.stdin.write(text);
  }

  /** Its exit code, once it has ended. */
  async exitCode(): Promise<number | null> {
    return (await this.done).code;
  }

  ended(): Promise<CliResult> {
    return this.done;
  }
}
