import type { Generated } from 'kysely';
import type {
  NotificationChannelsTable,
  NotificationDeliveriesTable,
} from './notifications-schema.js';

/**
 * Engine hosts Berth manages. `local` is registered from DOCKER_HOST at every start; the others
 * are added through the API and loaded at start.
 */
export interface HostsTable {
  id: string;
  name: string;
  transport: string;
  endpoint: string;
  /** socket | tcp | ssh | agent */
  kind: Generated<string>;
  /** unix:///path, tcp://host:port or ssh://user@host:port, as the admin gave it. */
  url: Generated<string>;
  /** JSON array of labels. */
  labels: Generated<string>;
  /** 1: plain TCP, asked for explicitly. */
  insecure: Generated<number>;
  /** The engine's ID when the host was added or changed (duplicates are refused by it). */
  engine_id: string | null;
  /** Sealed (SecretBox) JSON of { ca, cert, key } PEM texts. */
  tls_sealed: string | null;
  /** ssh: the pinned host key fingerprint (SHA256:…); any other refuses to connect. */
  ssh_host_key: string | null;
  /** ssh: sealed (SecretBox) JSON of { privateKey, passphrase? }; null: the SSH agent. */
  ssh_key_sealed: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

/** Agent hosts: pairing, key and what the agent last reported (see migration 0016). */
export interface AgentHostsTable {
  host_id: string;
  /** The agent's OpenSSH public key line, once paired. */
  public_key: string | null;
  /** SHA256:… of that key: the host key its SSH session must prove. */
  key_fingerprint: string | null;
  paired_at: string | null;
  key_rotated_at: string | null;
  revoked_at: string | null;
  /** SHA-256 (hex) of the join token's secret; kept after use to say "used". */
  token_hash: string | null;
  token_expires_at: string | null;
  token_used_at: string | null;
  last_connected_at: string | null;
  remote_address: string | null;
  agent_version: string | null;
  agent_hostname: string | null;
  agent_engine: string | null;
  /** JSON AgentPolicy, as the agent last reported it. */
  policy: string | null;
  created_at: Generated<string>;
}

/** Instance-wide settings, one JSON value per key. */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Generated<string>;
}

export interface UsersTable {
  id: string;
  username: string;
  /** Lower-cased username: names are unique regardless of case. */
  username_key: string;
  password_hash: string;
  role: string;
  disabled: Generated<number>;
  must_change_password: Generated<number>;
  /** Sealed (SecretBox) base32 TOTP secret once 2FA is on. */
  totp_secret: string | null;
  /** Sealed secret between enrolment and the first verified code. */
  totp_pending_secret: string | null;
  /** Last TOTP time step accepted, so a code is never accepted twice. */
  totp_last_step: number | null;
  /** Host labels granted (JSON array): every host carrying one of them. */
  host_labels: Generated<string>;
  /** When the user last signed in. */
  last_login_at: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface UserHostsTable {
  user_id: string;
  host_id: string;
}

export interface SessionsTable {
  /** Public id, used to list and revoke; the cookie secret is stored only as a hash. */
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  role: string;
  /** 'api' or 'metrics' (0018-token-scopes). */
  scope: Generated<string>;
  created_at: Generated<string>;
  expires_at: string | null;
  last_used_at: string | null;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: string | null;
  username: string | null;
  token_id: string | null;
  ip: string | null;
  user_agent: string | null;
  action: string;
  target: string | null;
  outcome: string;
  status: number | null;
  /** JSON object or null. */
  details: string | null;
}

export interface ContainerEnvironmentsTable {
  host_id: string;
  container_id: string;
  environment: string;
  updated_at: string;
}

export interface ImagePreviousTagsTable {
  host_id: string;
  image_id: string;
  tag: string;
  moved_at: Generated<string>;
}

export interface RegistriesTable {
  id: string;
  name: string;
  /** host[:port], as it appears in image references. */
  host: string;
  username: string;
  /** Sealed (SecretBox) password or token. */
  secret: string;
  insecure: Generated<number>;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface ImageUpdateChecksTable {
  host_id: string;
  image: string;
  local_digest: string | null;
  remote_digest: string | null;
  status: string;
  reason: string | null;
  checked_at: string;
}

export interface ContainerUpdatesTable {
  id: Generated<number>;
  host_id: string;
  container_name: string;
  old_container_id: string;
  new_container_id: string | null;
  old_image: string;
  old_image_id: string;
  old_digest: string | null;
  new_image: string;
  new_image_id: string | null;
  new_digest: string | null;
  kind: string;
  outcome: string;
  message: string | null;
  username: string | null;
  at: Generated<string>;
}

export interface VolumeBackupSchedulesTable {
  host_id: string;
  volume: string;
  every_hours: number;
  keep: number;
  stop_containers: Generated<number>;
  last_run_at: string | null;
  last_error: string | null;
}

export interface IpReservationsTable {
  host_id: string;
  network_id: string;
  ip: string;
  purpose: string;
  created_at: Generated<string>;
}

export interface UserPreferencesTable {
  user_id: string;
  /** JSON of the contract's Preferences; unknown or stale keys are dropped on read. */
  preferences: string;
  updated_at: string;
}

export interface OperationJournalTable {
  id: string;
  host_id: string;
  /** recreate | backup | restore */
  kind: string;
  /** The step about to be taken (written before it is). */
  step: string;
  /** JSON: what recovery needs to finish or roll back, per kind. */
  data: string;
  started_at: string;
  updated_at: string;
}

export interface HostSecurityTable {
  host_id: string;
  /** JSON of the contract's HostSecurity; read through the schema, unknown keys dropped. */
  settings: string;
  updated_at: string;
  updated_by: string | null;
}

/** One version of a stack's files (JSON: path → text), taken before each change. */
export interface StackVersionsTable {
  id: Generated<number>;
  host_id: string;
  stack: string;
  at: string;
  by: string | null;
  message: string | null;
  files: string;
}

/** The last deploy (up) of each stack. */
export interface StackDeploysTable {
  host_id: string;
  stack: string;
  at: string;
  by: string | null;
  ok: number;
}

/** A stack the compose CLI started that Berth manages from its files in place. */
export interface StackAdoptionsTable {
  host_id: string;
  stack: string;
  working_dir: string;
  /** JSON array of absolute paths. */
  config_files: string;
  adopted_at: string;
  adopted_by: string | null;
}

/** A global variable of a host's stacks; `value` is sealed when `secret` is 1. */
export interface StackVariablesTable {
  host_id: string;
  name: string;
  value: string;
  secret: number;
}

/** A container incident: what the health history shows (see migration 0019). */
export interface ContainerIncidentsTable {
  id: string;
  host_id: string;
  container_id: string;
  container_name: string;
  kind: string;
  at: string;
  reason: string;
  exit_code: number | null;
  health: string | null;
  /** JSON object of the container's labels. */
  labels: string;
}

/** A route through Caddy; the JSON columns hold the contract's shapes. */
export interface ProxyRoutesTable {
  id: string;
  /** JSON array of hostnames. */
  hostnames: string;
  path_prefix: string | null;
  /** JSON ProxyTarget. */
  target: string;
  target_host: string;
  tls: string;
  /** JSON ProxyAuth, with each basic-auth user's bcrypt hash (never a password). */
  auth: string;
  /** JSON ProxyHeaders. */
  headers: string;
  compress: number;
  /** JSON ProxyWakeInput or null. */
  wake: string | null;
  enabled: number;
  /** JSON ProxyRouteSource. */
  source: string;
  /** What declared a label route (host/container, host/stack/service); null for API routes. */
  source_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProxySettingsTable {
  id: number;
  acme_email: string | null;
  acme_ca: string | null;
}

export interface AlertRulesTable {
  id: string;
  name: string;
  kind: string;
  /** JSON AlertScope. */
  scope: string;
  threshold: number | null;
  for_minutes: number;
  repeat_minutes: number;
  notify_resolved: number;
  severity: string;
  /** JSON array of notification channel ids. */
  channels: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** An alert: one rule's condition for one subject, firing or resolved. */
export interface AlertsTable {
  id: string;
  rule_id: string;
  rule_name: string;
  kind: string;
  severity: string;
  state: string;
  subject: string;
  host_id: string | null;
  container_name: string | null;
  summary: string;
  started_at: string;
  fired_at: string;
  resolved_at: string | null;
  last_notified_at: string | null;
  notifications: Generated<number>;
  silenced: Generated<number>;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

export interface AlertSilencesTable {
  id: string;
  /** JSON SilenceMatchers. */
  matchers: string;
  ends_at: string;
  comment: string;
  created_by: string | null;
  created_at: string;
}

/** Metrics history (modules/metrics): a sample, or a rollup's running average of `n`. */
export interface MetricPointsTable {
  host_id: string;
  subject: string;
  resolution: number;
  bucket: number;
  n: number;
  cpu: number;
  cpu_max: number;
  mem: number;
  mem_max: number;
  mem_limit: number;
  rx: number;
  tx: number;
  rd: number;
  wr: number;
  pids: number;
}

/** Wake-on-demand's figures per proxy route (modules/proxy/wake). */
export interface ProxyWakeStatsTable {
  route_id: string;
  last_activity_at: string | null;
  last_wake_at: string | null;
  last_time_to_healthy_ms: number | null;
  last_sleep_at: string | null;
  /** The UTC day (YYYY-MM-DD) the counts are for. */
  day: string;
  wakes_today: number;
  sleeps_today: number;
  reason: string | null;
  swarm_replicas: number | null;
}

export interface Database {
  hosts: HostsTable;
  agent_hosts: AgentHostsTable;
  settings: SettingsTable;
  users: UsersTable;
  user_preferences: UserPreferencesTable;
  user_hosts: UserHostsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  recovery_codes: RecoveryCodesTable;
  audit_log: AuditLogTable;
  container_environments: ContainerEnvironmentsTable;
  image_previous_tags: ImagePreviousTagsTable;
  registries: RegistriesTable;
  image_update_checks: ImageUpdateChecksTable;
  container_updates: ContainerUpdatesTable;
  volume_backup_schedules: VolumeBackupSchedulesTable;
  ip_reservations: IpReservationsTable;
  operation_journal: OperationJournalTable;
  host_security: HostSecurityTable;
  stack_versions: StackVersionsTable;
  stack_deploys: StackDeploysTable;
  stack_adoptions: StackAdoptionsTable;
  stack_variables: StackVariablesTable;
  container_incidents: ContainerIncidentsTable;
  alert_rules: AlertRulesTable;
  alerts: AlertsTable;
  proxy_routes: ProxyRoutesTable;
  proxy_settings: ProxySettingsTable;
  alert_silences: AlertSilencesTable;
  notification_channels: NotificationChannelsTable;
  notification_deliveries: NotificationDeliveriesTable;
  metric_points: MetricPointsTable;
  proxy_wake_stats: ProxyWakeStatsTable;
}
