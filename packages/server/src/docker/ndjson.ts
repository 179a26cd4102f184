import type { Readable } from 'node:stream';

/**
 * Reads newline-delimited JSON (the engine's event and progress streams) one value at a time.
 * A line that is not JSON is a protocol error and ends the iteration with that error.
 */
export async function* readNdjson<T>(stream: Readable): AsyncGenerator<T> {
  let buffered = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    buffered += chunk as string;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line.length > 0) yield JSON.parse(line) as T;
      newline = buffered.indexOf('\n');
    }
  }
  const rest = buffered.trim();
  if (rest.length > 0) yield JSON.parse(rest) as T;
}
