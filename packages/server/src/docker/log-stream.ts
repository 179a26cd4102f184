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
  for await (const frames of demuxFrameChunks(stream, tty)) yield* frames;
}

/** The same frames, a whole read at a time (one array per chunk the socket gave us). */
async function* demuxFrameChunks(
  stream: AsyncIterable<unknown>,
  tty: boolean,
): AsyncGenerator<{ stream: StreamKind; data: Buffer }[]> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    const data = chunk as Buffer;
    if (tty) {
      yield [{ stream: 'stdout', data }];
      continue;
    }
    pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
    const frames: { stream: StreamKind; data: Buffer }[] = [];
    let at = 0;
    while (pending.length - at >= 8) {
      const size = pending.readUInt32BE(at + 4);
      if (pending.length - at < 8 + size) break;
      frames.push({
        stream: pending[at] === 2 ? 'stderr' : 'stdout',
        data: pending.subarray(at + 8, at + 8 + size),
      });
      at += 8 + size;
    }
    pending = pending.subarray(at);
    if (frames.length > 0) yield frames;
  }
}

/**
 * The output split into lines, per stream, a batch per read: a busy container's lines cost one
 * step each in a loop, not one async iteration each.
 */
export async function* demuxLineBatches(
  stream: AsyncIterable<unknown>,
  tty: boolean,
): AsyncGenerator<LogLine[]> {
  const partial: Record<StreamKind, string> = { stdout: '', stderr: '' };
  for await (const frames of demuxFrameChunks(stream, tty)) {
    const lines: LogLine[] = [];
    for (const frame of frames) {
      const text = partial[frame.stream] + frame.data.toString('utf8');
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
        lines.push({ stream: frame.stream, text: text.slice(start, stop) });
        start = end + 1;
      }
      partial[frame.stream] = start === 0 ? text : text.slice(start);
    }
    if (lines.length > 0) yield lines;
  }
  const rest: LogLine[] = [];
  for (const kind of ['stdout', 'stderr'] as const) {
    if (partial[kind]) rest.push({ stream: kind, text: partial[kind] });
  }
  if (rest.length > 0) yield rest;
}

/** The same output a line at a time. */
export async function* demuxLines(stream: Readable, tty: boolean): AsyncGenerator<LogLine> {
  for await (const lines of demuxLineBatches(stream, tty)) yield* lines;
}
