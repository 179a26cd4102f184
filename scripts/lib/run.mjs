// Small process helpers for the repository scripts: argv arrays only, never a shell string.
import { spawn } from 'node:child_process';

/** Runs a command to completion with inherited stdio; rejects on a non-zero exit. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

/** Runs a command and returns its stdout; rejects with its stderr on failure. */
export function capture(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(err.trim() || `${command} exited ${code}`)),
    );
  });
}

/** Whether an executable is on PATH (or at an absolute path). */
export async function which(name) {
  try {
    return (await capture('sh', ['-c', 'command -v "$1"', 'which', name])).trim() || null;
  } catch {
    return null;
  }
}
