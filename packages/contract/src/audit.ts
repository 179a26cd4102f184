import { z } from 'zod';

export const AuditOutcome = z.enum(['success', 'failure', 'denied']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditEntry = z
  .object({
    id: z.number().int(),
    at: z.iso.datetime(),
    userId: z.string().nullable(),
    username: z.string().nullable(),
    tokenId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    action: z.string().describe('e.g. auth.login, user.create, container.stop'),
    target: z.string().nullable(),
    outcome: AuditOutcome,
    status: z.number().int().nullable().describe('HTTP status of the request, where there was one'),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.strictObject({
  user: z.string().max(64).optional().describe('Username'),
  action: z
    .string()
    .max(100)
    .optional()
    .describe('Exact action, or a prefix ending in ".": "auth."'),
  target: z.string().max(300).optional(),
  outcome: AuditOutcome.optional(),
  from: z.iso.datetime({ error: 'must be an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ error: 'must be an ISO 8601 date-time' }).optional(),
  before: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe('Cursor: entries with a smaller id'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z
  .object({
    entries: z.array(AuditEntry),
    nextBefore: z.number().int().nullable().describe('Pass as `before` for the next page'),
  })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditExportQuery = AuditQuery.omit({ before: true, limit: true }).extend({
  format: z.enum(['csv', 'json']).default('csv'),
});
export type AuditExportQuery = z.infer<typeof AuditExportQuery>;

export const Settings = z
  .object({
    require2faForAdmins: z.boolean(),
    auditRetentionDays: z.number().int().min(1).max(3650),
    allowOverContainerLimit: z
      .boolean()
      .describe("Let containers be created past a host's hard limit (its hardware profile's max)"),
  })
  .meta({ id: 'Settings' });
export type Settings = z.infer<typeof Settings>;

export const SettingsUpdate = Settings.partial().strict().meta({ id: 'SettingsUpdate' });
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;
