import { z } from 'zod';

/**
 * Set on a list served from the last known state of an engine that cannot be reached now:
 * the list is as of `since`, not current. Null while the engine is reached.
 */
export const Staleness = z
  .object({
    since: z.iso
      .datetime()
      .nullable()
      .describe('When the engine was last reached: the list is as of then (null: never reached)'),
    reason: z.string().describe('Why the engine cannot be reached'),
  })
  .meta({ id: 'Staleness' });
export type Staleness = z.infer<typeof Staleness>;

export const StaleField = Staleness.nullable().describe(
  'Null when the list is current; set while the engine is unreachable and the list is the last known one',
);
