import type { Generated } from 'kysely';

/** A notification channel (migration 0021); secrets live sealed apart from `config`. */
export interface NotificationChannelsTable {
  id: string;
  name: string;
  /** email | webhook | slack | discord | ntfy | gotify */
  kind: string;
  enabled: Generated<number>;
  /** JSON of the kind's settings without its secrets. */
  config: string;
  /** Sealed (SecretBox) JSON of the kind's secrets (passwords, tokens, secret URLs). */
  secrets_sealed: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

/** One notification to one channel: the queue and the record of its outcome. */
export interface NotificationDeliveriesTable {
  id: Generated<number>;
  channel_id: string;
  /** JSON AlertNotification. */
  notification: string;
  /** pending | sent | failed */
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}
