import type { FastifySchemaCompiler } from 'fastify';
import type { ZodType } from 'zod';

/** One failing field as the validator hands it to the error handler. */
export interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message: string;
  /** The issue's path as zod gives it: keys may hold "/" or "." (labels, build arguments). */
  path: PropertyKey[];
  /** For unrecognized keys: which. */
  keys?: string[];
}

/**
 * Validates with the route's zod schema, as fastify-type-provider-zod does, but keeps each
 * issue's path as keys rather than a "/"-joined pointer, so a field is named exactly.
 */
export const validatorCompiler: FastifySchemaCompiler<ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
      instancePath: `/${issue.path.map(String).join('/')}`,
      keyword: issue.code,
      message: issue.message,
      path: issue.path,
      ...(issue.code === 'unrecognized_keys' ? { keys: issue.keys } : {}),
    }));
    return { error: issues as never };
  };
