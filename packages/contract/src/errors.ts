import { z } from 'zod';

/** Every error the API returns has this one shape, whatever its status. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. "validation_failed"'),
      message: z.string().describe('Human-readable explanation'),
      details: z.unknown().optional().describe('Structured context, e.g. the failing fields'),
    }),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** One failing field of a request, as listed in a validation error's details. */
export const FieldIssue = z.object({
  field: z.string().describe('Where in the request: "body.name", "params.host", "query.limit"'),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The body of a 204 answer: there is none. */
export const NoContent = z.null().describe('No content');
