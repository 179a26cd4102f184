import { createInterface } from 'node:readline';
import { UsageError } from './errors.js';
import { io } from './io.js';

/** stdin and stderr are a terminal: a person is there to answer. */
export function canAsk(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/**
 * Asks one line on the terminal (the question on stderr, so stdout stays the result). With
 * `hidden`, what is typed is not echoed (passwords, codes). Without a terminal it is a usage
 * error naming `flag`, the way to give the answer non-interactively.
 */
export async function ask(
  question: string,
  options: { hidden?: boolean; flag: string },
): Promise<string> {
  if (!canAsk())
    throw new UsageError(
      `${question.replace(/[:?]\s*$/, '')}: no terminal to ask on; use ${options.flag}`,
    );
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (options.hidden) {
    // readline echoes through _writeToOutput; print the question only, never what is typed.
    const internal = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    internal._writeToOutput = (s: string) => {
      if (!asked) {
        asked = true;
        process.stderr.write(s);
      } else if (s.includes('\n') || s.includes('\r')) process.stderr.write('\n');
    };
  }
  try {
    return await new Promise<string>((resolve, reject) => {
      // Only this listener is removed: readline's own 'close' listener detaches it from
      // stdin, and without it a closed prompt would go on echoing the next one's keys.
      const cancelled = (): void => reject(new UsageError('cancelled'));
      rl.once('close', cancelled);
      rl.question(question.endsWith(' ') ? question : `${question} `, (answer) => {
        rl.off('close', cancelled);
        resolve(answer);
      });
    });
  } finally {
    rl.close();
  }
}

/**
 * A destructive action asks first: `--yes`/`-y` (or `--force` where the command says so) skips
 * the question; with no terminal and no flag the command refuses (usage, exit 2) rather than
 * guess. Answers true only on y/yes.
 */
export async function confirm(
  question: string,
  options: { yes?: boolean; flag?: string } = {},
): Promise<boolean> {
  if (options.yes) return true;
  const flag = options.flag ?? '--yes';
  if (!canAsk())
    throw new UsageError(
      `${question.replace(/\?\s*$/, '')}: refused without a terminal; add ${flag} to confirm`,
    );
  const answer = await ask(`${question} [y/N]`, { flag });
  const yes = /^y(es)?$/i.test(answer.trim());
  if (!yes) io.err('Cancelled.');
  return yes;
}

/** Reads all of stdin as text (`--password-stdin`, `--token-stdin`, `-f -`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
