import { z } from 'zod';

/** The kinds of notification channel Berth sends to. */
export const ChannelKind = z.enum(['email', 'webhook', 'slack', 'discord', 'ntfy', 'gotify']);
export type ChannelKind = z.infer<typeof ChannelKind>;

const HttpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2048, 'at most 2048 characters')
  .refine((url) => !/^https?:\/\/[^/?#]*@/.test(url), {
    error: 'must not hold a username or password (a token or secret field takes those)',
  });
const Secret = z.string().min(1, 'is required').max(4096, 'at most 4096 characters');
const Address = z.email({ error: 'must be an email address' }).max(320);
const HostName = z
  .string()
  .regex(
    /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/,
    'a host name or IP address like smtp.example.com',
  );
const Pem = z
  .string()
  .max(65_536)
  .regex(/-----BEGIN CERTIFICATE-----/, 'a PEM certificate (-----BEGIN CERTIFICATE-----)');

/**
 * Each kind's settings as an admin enters them, secrets included: they go in, are sealed at rest
 * and never come out (a view says `hasPassword`, `hasToken`, … instead).
 */
export const EmailSettings = z.strictObject({
  host: HostName.describe('SMTP server'),
  port: z.number().int().min(1).max(65_535),
  security: z
    .enum(['starttls', 'tls', 'none'])
    .describe('starttls: upgrade a plain connection (587); tls: TLS from the start (465)'),
  username: z.string().min(1).max(256).optional(),
  password: Secret.optional().describe('Stored encrypted, never returned'),
  ca: Pem.optional().describe("A CA certificate to trust for this server's certificate"),
  from: Address,
  to: z.array(Address).min(1, 'at least one address').max(50, 'at most 50 addresses'),
});
export const WebhookSettings = z.strictObject({
  url: HttpUrl,
  secret: Secret.optional().describe(
    'Signs each body: X-Berth-Signature: sha256=<hex HMAC-SHA256 of the body>',
  ),
});
export const SlackSettings = z.strictObject({
  webhookUrl: HttpUrl.describe('The incoming-webhook URL (a secret: never returned)'),
});
export const DiscordSettings = z.strictObject({
  webhookUrl: HttpUrl.describe('The channel webhook URL (a secret: never returned)'),
});
export const NtfySettings = z.strictObject({
  serverUrl: HttpUrl.describe('https://ntfy.sh or your own server'),
  topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, 'a topic: letters, digits, _ and -'),
  token: Secret.optional().describe('An access token; stored encrypted, never returned'),
});
export const GotifySettings = z.strictObject({
  serverUrl: HttpUrl,
  token: Secret.describe("The application's token; stored encrypted, never returned"),
});

/** Each kind's settings schema, by kind (forms and the server's PATCH merge use these). */
export const channelSettingsSchemas = {
  email: EmailSettings,
  webhook: WebhookSettings,
  slack: SlackSettings,
  discord: DiscordSettings,
  ntfy: NtfySettings,
  gotify: GotifySettings,
} as const;

/** The fields of each kind that are secrets: sealed at rest, never returned. */
export const channelSecretFields = {
  email: ['password'],
  webhook: ['secret'],
  slack: ['webhookUrl'],
  discord: ['webhookUrl'],
  ntfy: ['token'],
  gotify: ['token'],
} as const satisfies Record<ChannelKind, readonly string[]>;

/** One kind's create body (name, enabled, kind and its settings). */
function kindCreate<K extends ChannelKind, S extends z.ZodType>(kind: K, config: S) {
  return z.strictObject({
    name: z.string().trim().min(1, 'is required').max(100, 'at most 100 characters'),
    enabled: z.boolean().default(true),
    kind: z.literal(kind),
    config,
  });
}

export const ChannelCreate = z
  .discriminatedUnion('kind', [
    kindCreate('email', EmailSettings),
    kindCreate('webhook', WebhookSettings),
    kindCreate('slack', SlackSettings),
    kindCreate('discord', DiscordSettings),
    kindCreate('ntfy', NtfySettings),
    kindCreate('gotify', GotifySettings),
  ])
  .meta({ id: 'NotificationChannelCreate' });
export type ChannelCreate = z.infer<typeof ChannelCreate>;
/** A channel's kind and full settings, secrets in clear (server side only). */
export type ChannelSettings = ChannelCreate extends infer C
  ? C extends ChannelCreate
    ? { kind: C['kind']; config: C['config'] }
    : never
  : never;

export const ChannelUpdate = z
  .strictObject({
    name: z.string().trim().min(1, 'is required').max(100, 'at most 100 characters').optional(),
    enabled: z.boolean().optional(),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        "Fields of the channel's kind to change; the others (secrets included) are kept. " +
          'null clears an optional field.',
      ),
  })
  .meta({ id: 'NotificationChannelUpdate' });
export type ChannelUpdate = z.infer<typeof ChannelUpdate>;

const Flag = z.literal(true);
export const ChannelConfigView = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('email'),
    config: EmailSettings.omit({ password: true }).extend({ hasPassword: z.boolean() }),
  }),
  z.object({
    kind: z.literal('webhook'),
    config: WebhookSettings.omit({ secret: true }).extend({ hasSecret: z.boolean() }),
  }),
  z.object({ kind: z.literal('slack'), config: z.object({ hasWebhookUrl: Flag }) }),
  z.object({ kind: z.literal('discord'), config: z.object({ hasWebhookUrl: Flag }) }),
  z.object({
    kind: z.literal('ntfy'),
    config: NtfySettings.omit({ token: true }).extend({ hasToken: z.boolean() }),
  }),
  z.object({
    kind: z.literal('gotify'),
    config: GotifySettings.omit({ token: true }).extend({ hasToken: Flag }),
  }),
]);
export type ChannelConfigView = z.infer<typeof ChannelConfigView>;

export const ChannelView = z
  .intersection(
    z.object({
      id: z.string(),
      name: z.string(),
      enabled: z.boolean(),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
    ChannelConfigView,
  )
  .meta({ id: 'NotificationChannel' });
export type ChannelView = z.infer<typeof ChannelView>;
export const ChannelList = z.object({ channels: z.array(ChannelView) });
export type ChannelList = z.infer<typeof ChannelList>;

export const DeliveryStatus = z.enum(['pending', 'sent', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** The outcome of one delivery (the answer of "send test"). */
export const DeliveryResult = z
  .object({
    deliveryId: z.number().int(),
    channelId: z.string(),
    status: DeliveryStatus,
    attempts: z.number().int(),
    error: z.string().nullable().describe('Why the last attempt failed'),
    at: z.string(),
  })
  .meta({ id: 'NotificationDeliveryResult' });
export type DeliveryResult = z.infer<typeof DeliveryResult>;

export const DeliveryView = z
  .object({
    id: z.number().int(),
    channelId: z.string(),
    channelName: z.string().nullable(),
    title: z.string(),
    severity: z.enum(['info', 'warning', 'critical']),
    notificationStatus: z.enum(['firing', 'resolved', 'test']),
    alertId: z.string().nullable(),
    status: DeliveryStatus,
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .meta({ id: 'NotificationDelivery' });
export type DeliveryView = z.infer<typeof DeliveryView>;
export const DeliveryList = z.object({ deliveries: z.array(DeliveryView) });
export type DeliveryList = z.infer<typeof DeliveryList>;

export const DeliveriesQuery = z.strictObject({
  channel: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a channel id')
    .optional(),
  status: DeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
