import { EXIT_OK } from './errors.js';

let installed = false;
const cleanups = new Set<() => void>();

/**
 * A command whose reader went away (`berth get containers | head -1`, `berth logs -f web |
 * head -1`) ends quietly with exit 0, as `docker … | head` does, instead of an EPIPE error.
 * main.ts installs it for every command; a streaming command adds its `cleanup` (closing a
 * socket), which runs first.
 */
export function exitQuietlyOnBrokenPipe(cleanup?: () => void): void {
  if (cleanup) cleanups.add(cleanup);
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      for (const run of cleanups) run();
      process.exit(EXIT_OK);
    });
  }
}

/** What can be paused while stdout catches up: a WebSocket (ws pauses its socket). */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/**
 * Writes to stdout or stderr and pauses the source while either's buffer is full, resuming once
 * both drained: a slow reader slows the socket, not the CLI's memory.
 */
export class FlowingWriter {
  private waiting = 0;

  constructor(private readonly source: Pausable) {}

  write(stream: NodeJS.WritableStream, data: string | Uint8Array): void {
    if (stream.write(data)) return;
    this.waiting += 1;
    if (this.waiting === 1) this.source.pause();
    stream.once('drain', () => {
      this.waiting -= 1;
      if (this.waiting === 0) this.source.resume();
    });
  }
}
