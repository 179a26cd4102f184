import { z } from 'zod';

/**
 * Labels on a container, network or volume. A name holding '=' could not be written as
 * `--label k=v` and read back the same, so it is refused.
 */
export const Labels = z.record(
  z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^=]+$/, 'a label name, without "="'),
  z.string().max(4096),
);
