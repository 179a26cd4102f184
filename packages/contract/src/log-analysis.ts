import { z } from 'zod';
import { LogTime } from './container-io.js';

/** How many lines one analysis reads at most (the newest of the window). */
export const LOG_ANALYSIS_MAX_LINES = 50_000;

export const LogLevel = z.enum(['error', 'warn', 'info', 'debug']);
export type LogLevel = z.infer<typeof LogLevel>;

/**
 * Why a pattern cannot be used, or null. Besides being a valid JavaScript regular expression,
 * a pattern may not nest quantifiers (`(a+)+`) nor repeat an alternation (`(a|ab)*`): those
 * can take exponential time on one line, and an analysis runs every pattern on every line.
 */
export function regexProblem(pattern: string): string | null {
  try {
    new RegExp(pattern, 'u');
  } catch (err) {
    return `is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'may not use back-references';
  // For each open group: whether it holds a quantifier or an alternation.
  const groups: { risky: boolean }[] = [];
  let closedRisky = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    const quantifier =
      c === '*' || c === '+' || (c === '{' && /^\{\d+,\d*\}/.test(pattern.slice(i)));
    if (c === '\\') {
      i += 1;
      closedRisky = false;
      continue;
    }
    if (c === '[') {
      // A character class: skip to its end (escapes included).
      for (i += 1; i < pattern.length && pattern[i] !== ']'; i += 1)
        if (pattern[i] === '\\') i += 1;
      closedRisky = false;
      continue;
    }
    if (quantifier && closedRisky) return 'may not repeat a group that repeats or alternates';
    const top = groups[groups.length - 1];
    if (c === '(') groups.push({ risky: false });
    else if (c === ')') {
      const group = groups.pop();
      closedRisky = group?.risky === true;
      const parent = groups[groups.length - 1];
      if (parent && closedRisky) parent.risky = true;
      continue;
    } else if ((quantifier || c === '|') && top) top.risky = true;
    closedRisky = false;
  }
  return null;
}

const Pattern = z
  .string()
  .min(1, 'is required')
  .max(200, 'at most 200 characters')
  .superRefine((pattern, ctx) => {
    const problem = regexProblem(pattern);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const LogAnalysisQuery = z.strictObject({
  since: LogTime.optional().describe('Start of the window (default: the container’s first line)'),
  until: LogTime.optional().describe('End of the window (default: now)'),
  pattern: z
    .union([Pattern, z.array(Pattern).max(10, 'at most 10 patterns')])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .describe('Regular expressions to count (repeat the parameter for several, at most 10)'),
  top: z.coerce
    .number()
    .int()
    .min(1)
    .max(50, 'at most 50')
    .default(10)
    .describe('How many of the most repeated lines'),
});
export type LogAnalysisQuery = z.infer<typeof LogAnalysisQuery>;

const LogLineRef = z.object({
  at: z.string().nullable().describe('The engine’s timestamp of the line'),
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
});

export const LogAnalysis = z
  .object({
    container: z.string().describe('The container’s name'),
    since: z.string().nullable(),
    until: z.string().nullable(),
    lines: z.number().int().describe('Lines analysed'),
    truncated: z
      .boolean()
      .describe(
        `The window held more than ${LOG_ANALYSIS_MAX_LINES} lines: only the newest were read`,
      ),
    firstLineAt: z.string().nullable(),
    lastLineAt: z.string().nullable(),
    levels: z
      .object({
        error: z.number().int(),
        warn: z.number().int(),
        info: z.number().int(),
        debug: z.number().int(),
        other: z.number().int().describe('Lines with no level Berth recognises'),
      })
      .describe('Lines by level: level=…, [LEVEL], JSON "level", LEVEL: and the like'),
    patterns: z.array(
      z.object({
        pattern: z.string(),
        count: z.number().int(),
        firstAt: z.string().nullable(),
      }),
    ),
    topLines: z
      .array(
        z.object({
          text: z
            .string()
            .describe('The line with numbers, hex and UUIDs replaced by <n>, <hex>, <uuid>'),
          count: z.number().int(),
          level: LogLevel.nullable(),
          example: z.string().describe('The last line so shaped, as written'),
        }),
      )
      .describe('The most repeated lines, most first'),
    lastStartedAt: z.string().nullable().describe('When the container last (re)started'),
    restartCount: z.number().int(),
    firstErrorAfterStart: LogLineRef.nullable().describe(
      'The first error line written since the container last started (within the window)',
    ),
  })
  .meta({ id: 'LogAnalysis' });
export type LogAnalysis = z.infer<typeof LogAnalysis>;
