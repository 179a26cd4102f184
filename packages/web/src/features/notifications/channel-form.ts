import {
  ChannelCreate,
  channelSecretFields,
  type ChannelKind,
  type ChannelView,
} from '@berth/contract';

/** One input of a channel's settings. Secrets are never shown: empty on edit keeps the stored one. */
export interface ChannelField {
  key: string;
  label: string;
  type: 'text' | 'number' | 'password' | 'select' | 'list' | 'textarea';
  optional?: boolean;
  options?: string[];
  hint?: string;
}

export const KIND_NAMES: Record<ChannelKind, string> = {
  email: 'Email (SMTP)',
  webhook: 'Webhook (JSON)',
  slack: 'Slack',
  discord: 'Discord',
  ntfy: 'ntfy',
  gotify: 'Gotify',
};

export const CHANNEL_FIELDS: Record<ChannelKind, ChannelField[]> = {
  email: [
    { key: 'host', label: 'SMTP server', type: 'text' },
    { key: 'port', label: 'Port', type: 'number' },
    {
      key: 'security',
      label: 'Security',
      type: 'select',
      options: ['starttls', 'tls', 'none'],
      hint: 'STARTTLS upgrades a plain connection (587); TLS is TLS from the start (465)',
    },
    { key: 'username', label: 'Username', type: 'text', optional: true },
    { key: 'password', label: 'Password', type: 'password', optional: true },
    { key: 'from', label: 'From', type: 'text' },
    { key: 'to', label: 'To', type: 'list', hint: 'Addresses, separated by commas' },
    { key: 'ca', label: 'CA certificate (PEM)', type: 'textarea', optional: true },
  ],
  webhook: [
    { key: 'url', label: 'URL', type: 'text' },
    {
      key: 'secret',
      label: 'Signing secret',
      type: 'password',
      optional: true,
      hint: 'Signs each body: X-Berth-Signature: sha256=<HMAC>',
    },
  ],
  slack: [{ key: 'webhookUrl', label: 'Incoming-webhook URL', type: 'password' }],
  discord: [{ key: 'webhookUrl', label: 'Webhook URL', type: 'password' }],
  ntfy: [
    { key: 'serverUrl', label: 'Server', type: 'text', hint: 'https://ntfy.sh or your own' },
    { key: 'topic', label: 'Topic', type: 'text' },
    { key: 'token', label: 'Access token', type: 'password', optional: true },
  ],
  gotify: [
    { key: 'serverUrl', label: 'Server', type: 'text' },
    { key: 'token', label: 'Application token', type: 'password' },
  ],
};

export type ChannelValues = Record<string, string>;

export const isSecret = (kind: ChannelKind, key: string): boolean =>
  (channelSecretFields[kind] as readonly string[]).includes(key);

/** A stored channel in the form: its settings, secrets left empty (they never come back). */
export function valuesOf(channel: ChannelView): ChannelValues {
  const config = channel.config as Record<string, unknown>;
  return Object.fromEntries(
    CHANNEL_FIELDS[channel.kind].map((f) => {
      const v = config[f.key];
      return [
        f.key,
        Array.isArray(v)
          ? v.join(', ')
          : typeof v === 'string' || typeof v === 'number'
            ? String(v)
            : '',
      ];
    }),
  );
}

export const DEFAULTS: Record<ChannelKind, ChannelValues> = {
  email: { port: '587', security: 'starttls' },
  webhook: {},
  slack: {},
  discord: {},
  ntfy: { serverUrl: 'https://ntfy.sh' },
  gotify: {},
};

/** Whether a stored channel holds a secret for this field (the view says `hasPassword`, …). */
export function hasStored(channel: ChannelView | null, key: string): boolean {
  if (!channel) return false;
  const flag = `has${key[0]?.toUpperCase() ?? ''}${key.slice(1)}`;
  return (channel.config as Record<string, unknown>)[flag] === true;
}

function configOf(
  kind: ChannelKind,
  values: ChannelValues,
  editing: boolean,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const f of CHANNEL_FIELDS[kind]) {
    const raw = (values[f.key] ?? '').trim();
    // Empty: an optional setting not given, or (editing) a secret kept as stored.
    if (raw === '' && (f.optional || (editing && isSecret(kind, f.key)))) continue;
    config[f.key] =
      f.type === 'number'
        ? Number(raw)
        : f.type === 'list'
          ? raw.split(/[,\s]+/).filter(Boolean)
          : raw;
  }
  return config;
}

type Checked<T> = { ok: true; body: T } | { ok: false; errors: Record<string, string> };

/** A new channel's body, checked with the contract's schema; errors by field key. */
export function channelCreate(
  kind: ChannelKind,
  name: string,
  enabled: boolean,
  values: ChannelValues,
): Checked<ChannelCreate> {
  const parsed = ChannelCreate.safeParse({
    kind,
    name,
    enabled,
    config: configOf(kind, values, false),
  });
  if (parsed.success) return { ok: true, body: parsed.data };
  return {
    ok: false,
    errors: Object.fromEntries(
      parsed.error.issues.map((i) => [
        String(i.path[0] === 'config' ? i.path[1] : i.path[0]),
        i.message,
      ]),
    ),
  };
}

/**
 * An edit's body: the settings checked as a whole would be (with placeholders for the secrets
 * kept), then sent without the secrets left empty, which the server keeps.
 */
export function channelUpdate(
  channel: ChannelView,
  name: string,
  enabled: boolean,
  values: ChannelValues,
): Checked<{ name: string; enabled: boolean; config: Record<string, unknown> }> {
  const filled = { ...values };
  for (const f of CHANNEL_FIELDS[channel.kind])
    if (isSecret(channel.kind, f.key) && !filled[f.key]?.trim() && hasStored(channel, f.key))
      filled[f.key] = f.key === 'webhookUrl' ? 'https://kept.invalid/' : 'kept';
  const checked = channelCreate(channel.kind, name, enabled, filled);
  if (!checked.ok) return checked;
  return {
    ok: true,
    body: { name: checked.body.name, enabled, config: configOf(channel.kind, values, true) },
  };
}

/** What a channel sends to, without its secrets: "ops@example.com", "https://ntfy.sh/berth". */
export function targetText(channel: ChannelView): string {
  switch (channel.kind) {
    case 'email':
      return `${channel.config.to.join(', ')} via ${channel.config.host}:${channel.config.port}`;
    case 'webhook':
      return `${channel.config.url}${channel.config.hasSecret ? ' (signed)' : ''}`;
    case 'slack':
    case 'discord':
      return 'webhook URL stored';
    case 'ntfy':
      return `${channel.config.serverUrl.replace(/\/$/, '')}/${channel.config.topic}`;
    case 'gotify':
      return channel.config.serverUrl;
  }
}
