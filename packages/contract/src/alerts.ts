import { z } from 'zod';

/** What a rule watches. */
export const AlertRuleKind = z.enum([
  'container_down',
  'exited_nonzero',
  'unhealthy',
  'restart_loop',
  'oom',
  'cpu_above',
  'memory_above',
  'host_unreachable',
  'disk_usage_above',
  'image_update_available',
  'backup_failed',
]);
export type AlertRuleKind = z.infer<typeof AlertRuleKind>;

/** The kinds that compare a percentage with a threshold. */
export const THRESHOLD_KINDS: readonly AlertRuleKind[] = [
  'cpu_above',
  'memory_above',
  'disk_usage_above',
];

export const AlertSeverity = z.enum(['info', 'warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

const Name = z.string().trim().min(1).max(200);
const HostRef = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a host id');

/** Which subjects a rule covers: everything, a host, a compose stack, a label or an environment tag. */
export const AlertScope = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('all') }),
  z.strictObject({ type: z.literal('host'), host: HostRef }),
  z.strictObject({
    type: z.literal('stack'),
    host: HostRef.optional().describe('Any host when not given'),
    stack: Name.describe('The com.docker.compose.project label'),
  }),
  z.strictObject({ type: z.literal('label'), key: Name, value: z.string().max(500) }),
  z.strictObject({ type: z.literal('environment'), environment: Name }),
]);
export type AlertScope = z.infer<typeof AlertScope>;

const Minutes = z.number().min(0).max(10_080);
const ChannelIds = z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a channel id')).max(20);

export const AlertRule = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: AlertRuleKind,
    scope: AlertScope,
    threshold: z
      .number()
      .nullable()
      .describe('Percent, for cpu_above, memory_above and disk_usage_above; null: the default'),
    forMinutes: z.number().describe('The condition must hold this long before the alert fires'),
    repeatMinutes: z.number().describe('Notify again this often while firing; 0: once'),
    notifyResolved: z.boolean(),
    severity: AlertSeverity,
    channels: z.array(z.string()).describe('Notification channel ids'),
    enabled: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AlertRule' });
export type AlertRule = z.infer<typeof AlertRule>;

export const AlertRuleCreate = z
  .strictObject({
    name: Name,
    kind: AlertRuleKind,
    scope: AlertScope.default({ type: 'all' }),
    threshold: z.number().gt(0).max(100).nullable().optional(),
    forMinutes: Minutes.default(0),
    repeatMinutes: Minutes.default(0),
    notifyResolved: z.boolean().default(true),
    severity: AlertSeverity.optional().describe('Default: by kind'),
    channels: ChannelIds.default([]),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'AlertRuleCreate' });
export type AlertRuleCreate = z.infer<typeof AlertRuleCreate>;

export const AlertRuleUpdate = z
  .strictObject({
    name: Name.optional(),
    scope: AlertScope.optional(),
    threshold: z.number().gt(0).max(100).nullable().optional(),
    forMinutes: Minutes.optional(),
    repeatMinutes: Minutes.optional(),
    notifyResolved: z.boolean().optional(),
    severity: AlertSeverity.optional(),
    channels: ChannelIds.optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: 'AlertRuleUpdate' });
export type AlertRuleUpdate = z.infer<typeof AlertRuleUpdate>;

export const AlertRuleList = z.object({ rules: z.array(AlertRule) }).meta({ id: 'AlertRuleList' });

export const AlertState = z.enum(['firing', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

/** One alert: a rule's condition held for one subject (a container or a host). */
export const Alert = z
  .object({
    id: z.string(),
    ruleId: z.string(),
    ruleName: z.string(),
    kind: AlertRuleKind,
    severity: AlertSeverity,
    state: AlertState,
    subject: z.string().describe('What it is about: host/container, or the host'),
    hostId: z.string().nullable(),
    containerName: z.string().nullable(),
    summary: z.string(),
    startedAt: z.iso.datetime().describe('When the condition began'),
    firedAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
    lastNotifiedAt: z.iso.datetime().nullable(),
    notifications: z.number().int().describe('Notifications sent (a silenced alert sends none)'),
    silenced: z.boolean().describe('A silence matched it when it last would have notified'),
    acknowledgedAt: z.iso.datetime().nullable(),
    acknowledgedBy: z.string().nullable(),
  })
  .meta({ id: 'Alert' });
export type Alert = z.infer<typeof Alert>;

export const AlertList = z.object({ alerts: z.array(Alert) }).meta({ id: 'AlertList' });
export type AlertList = z.infer<typeof AlertList>;

export const AlertsQuery = z.strictObject({
  state: AlertState.optional().describe('firing, or resolved (history); both when not given'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type AlertsQuery = z.infer<typeof AlertsQuery>;

/** What a silence matches: every given field must match (at least one is needed). */
export const SilenceMatchers = z
  .strictObject({
    ruleId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a rule id')
      .optional(),
    host: HostRef.optional(),
    container: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'a container name')
      .optional(),
    label: z.strictObject({ key: Name, value: z.string().max(500) }).optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), 'give at least one matcher');
export type SilenceMatchers = z.infer<typeof SilenceMatchers>;

export const Silence = z
  .object({
    id: z.string(),
    matchers: SilenceMatchers,
    endsAt: z.iso.datetime(),
    comment: z.string(),
    createdBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    active: z.boolean(),
  })
  .meta({ id: 'Silence' });
export type Silence = z.infer<typeof Silence>;

export const SilenceCreate = z
  .strictObject({
    matchers: SilenceMatchers,
    endsAt: z.iso
      .datetime()
      .refine((at) => Date.parse(at) > Date.now(), 'must be in the future')
      .describe('When it stops holding notifications'),
    comment: z.string().max(1000).default(''),
  })
  .meta({ id: 'SilenceCreate' });
export type SilenceCreate = z.infer<typeof SilenceCreate>;

export const SilenceList = z.object({ silences: z.array(Silence) }).meta({ id: 'SilenceList' });
