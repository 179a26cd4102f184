import type { Readable } from 'node:stream';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/**
 * Splits the engine's log stream into lines. Without a TTY the engine multiplexes stdout and
 * stderr in frames: 8-byte header (stream type, 3 zero bytes, big-endian length), then data.
 * With a TTY it sends the raw terminal output.
 */
export async function* demuxLines(stream: Readable, tty: boolean): AsyncGenerator<LogLine> {
  const partial: Record<LogLine['stream'], string> = { stdout: '', stderr: '' };
  let pending: Buffer = Buffer.alloc(0);

  function* emit(kind: LogLine['stream'], data: Buffer): Generator<LogLine> {
    const text = partial[kind] + data.toString('utf8');
    const parts = text.split('\n');
    partial[kind] = parts.pop() ?? '';
    for (const part of parts) yield { stream: kind, text: part.replace(/\r$/, '') };
  }

  for await (const chunk of stream) {
    const data = chunk as Buffer;
    if (tty) {
      yield* emit('stdout', data);
      continue;
    }
    pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      const kind = pending[0] === 2 ? 'stderr' : 'stdout';
      yield* emit(kind, pending.subarray(8, 8 + size));
      pending = pending.subarray(8 + size);
    }
  }
  for (const kind of ['stdout', 'stderr'] as const) {
    if (partial[kind]) yield { stream: kind, text: partial[kind] };
  }
}
