import type { Readable } from 'node:stream';

export type StreamKind = 'stdout' | 'stderr';

export interface LogLine {
  stream: StreamKind;
  text: string;
}

/**
 * The engine's multiplexed output (no TTY): frames of an 8-byte header (stream type, 3 zero
 * bytes, big-endian length) and data. With a TTY the engine sends raw terminal output instead.
 */
export async function* demuxFrames(
  stream: AsyncIterable<unknown>,
  tty: boolean,
): AsyncGenerator<{ stream: StreamKind; data: Buffer }> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    const data = chunk as Buffer;
    if (tty) {
      yield { stream: 'stdout', data };
      continue;
    }
    pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      yield { stream: pending[0] === 2 ? 'stderr' : 'stdout', data: pending.subarray(8, 8 + size) };
      pending = pending.subarray(8 + size);
    }
  }
}

/** The same output split into lines, per stream. */
export async function* demuxLines(stream: Readable, tty: boolean): AsyncGenerator<LogLine> {
  const partial: Record<StreamKind, string> = { stdout: '', stderr: '' };
  for await (const frame of demuxFrames(stream, tty)) {
    const text = partial[frame.stream] + frame.data.toString('utf8');
    const parts = text.split('\n');
    partial[frame.stream] = parts.pop() ?? '';
    for (const part of parts) yield { stream: frame.stream, text: part.replace(/\r$/, '') };
  }
  for (const kind of ['stdout', 'stderr'] as const) {
    if (partial[kind]) yield { stream: kind, text: partial[kind] };
  }
}
