import { z } from 'zod';
import { ExecExit, StreamError } from './streams.js';

/**
 * Detach keys as docker writes them: a comma-separated sequence, each a single character or
 * `ctrl-` and one of a-z, @, [, \, ], ^, _ (`ctrl-p,ctrl-q`, the default).
 */
const DETACH_KEY = /^(?:ctrl-[a-z@[\\\]^_]|[\x20-\x2b\x2d-\x7e])$/;
export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** The bytes a detach sequence is: ctrl-a is 1, …, ctrl-z 26, ctrl-@ 0, ctrl-[ 27, …, ctrl-_ 31. */
export function detachKeyBytes(keys: string): number[] {
  return keys.split(',').map((key) => {
    if (!key.startsWith('ctrl-') || key.length === 1) return key.charCodeAt(0);
    const c = key.charCodeAt(5);
    return c >= 0x61 && c <= 0x7a ? c - 0x60 : c - 0x40;
  });
}

export const DetachKeys = z
  .string()
  .min(1)
  .max(100)
  .refine((keys) => keys.split(',').every((key) => DETACH_KEY.test(key)), {
    error: 'a comma-separated list of keys, each a character or ctrl-<a-z, @, [, \\, ], ^, _>',
  })
  .describe('The key sequence that detaches, e.g. "ctrl-p,ctrl-q"');

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const AttachQuery = z.strictObject({
  detachKeys: DetachKeys.default(DEFAULT_DETACH_KEYS),
  stdin: Bool.default(true).describe('Send what the client types to the container'),
  cols: z.coerce.number().int().min(1).max(1000).optional(),
  rows: z.coerce.number().int().min(1).max(1000).optional(),
});
export type AttachQuery = z.infer<typeof AttachQuery>;

/** What a client sends: input, a resize (TTY only), or the end of its input (stdin closed). */
export const AttachControl = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('resize'),
    cols: z.number().int().min(1).max(1000),
    rows: z.number().int().min(1).max(1000),
  }),
  z.object({ type: z.literal('input'), data: z.string().max(65536) }),
  z.object({ type: z.literal('close-stdin') }),
]);
export type AttachControl = z.infer<typeof AttachControl>;

export const AttachStarted = z.object({
  type: z.literal('started'),
  tty: z
    .boolean()
    .describe(
      'The container has a TTY: binary frames are its terminal output as it is. Without one, each binary frame starts with a byte naming the stream (1 stdout, 2 stderr).',
    ),
  cli: z.string(),
});
export const AttachDetached = z.object({
  type: z.literal('detached'),
  keys: z.string().describe('The detach sequence that was read'),
});

/** Text frames of the attach stream; the container's output goes as binary frames. */
export const AttachMessage = z.discriminatedUnion('type', [
  AttachStarted,
  ExecExit,
  AttachDetached,
  StreamError,
]);
export type AttachMessage = z.infer<typeof AttachMessage>;
