import {
  AlertRuleCreate,
  THRESHOLD_KINDS,
  type AlertRule,
  type AlertRuleKind,
  type AlertRuleUpdate,
  type AlertScope,
  type AlertSeverity,
} from '@berth/contract';

/** What each rule kind watches, as its list and its dialog say it. */
export const KIND_LABELS: Record<AlertRuleKind, string> = {
  container_down: 'Container down',
  exited_nonzero: 'Exited non-zero',
  unhealthy: 'Unhealthy',
  restart_loop: 'Restart loop',
  oom: 'Killed out of memory',
  cpu_above: 'CPU above a threshold',
  memory_above: 'Memory above a threshold',
  host_unreachable: 'Host unreachable',
  disk_usage_above: "Disk usage of Docker's data root above a threshold",
  image_update_available: 'Image update available',
  backup_failed: 'Backup failed',
};

export const SEVERITY_TONES: Record<AlertSeverity, 'info' | 'warn' | 'bad'> = {
  info: 'info',
  warning: 'warn',
  critical: 'bad',
};

/** "all hosts", "host local", "stack web on local", "label tier=db", "environment prod". */
export function scopeText(scope: AlertScope): string {
  switch (scope.type) {
    case 'all':
      return 'everything';
    case 'host':
      return `host ${scope.host}`;
    case 'stack':
      return `stack ${scope.stack}${scope.host ? ` on ${scope.host}` : ''}`;
    case 'label':
      return `label ${scope.key}=${scope.value}`;
    case 'environment':
      return `environment ${scope.environment}`;
  }
}

export const hasThreshold = (kind: AlertRuleKind): boolean => THRESHOLD_KINDS.includes(kind);

/** The rule dialog's fields, all as the inputs hold them (text). */
export interface RuleDraft {
  name: string;
  kind: AlertRuleKind;
  scopeType: AlertScope['type'];
  scopeHost: string;
  scopeStack: string;
  scopeKey: string;
  scopeValue: string;
  scopeEnvironment: string;
  threshold: string;
  forMinutes: string;
  repeatMinutes: string;
  notifyResolved: boolean;
  severity: AlertSeverity | '';
  channels: string[];
  enabled: boolean;
}

export const NEW_RULE: RuleDraft = {
  name: '',
  kind: 'exited_nonzero',
  scopeType: 'all',
  scopeHost: '',
  scopeStack: '',
  scopeKey: '',
  scopeValue: '',
  scopeEnvironment: '',
  threshold: '',
  forMinutes: '0',
  repeatMinutes: '0',
  notifyResolved: true,
  severity: '',
  channels: [],
  enabled: true,
};

/** A stored rule in the dialog, to edit. */
export function draftOf(rule: AlertRule): RuleDraft {
  const s = rule.scope;
  return {
    ...NEW_RULE,
    name: rule.name,
    kind: rule.kind,
    scopeType: s.type,
    scopeHost: s.type === 'host' || s.type === 'stack' ? (s.host ?? '') : '',
    scopeStack: s.type === 'stack' ? s.stack : '',
    scopeKey: s.type === 'label' ? s.key : '',
    scopeValue: s.type === 'label' ? s.value : '',
    scopeEnvironment: s.type === 'environment' ? s.environment : '',
    threshold: rule.threshold === null ? '' : String(rule.threshold),
    forMinutes: String(rule.forMinutes),
    repeatMinutes: String(rule.repeatMinutes),
    notifyResolved: rule.notifyResolved,
    severity: rule.severity,
    channels: rule.channels,
    enabled: rule.enabled,
  };
}

function scopeOf(d: RuleDraft): AlertScope {
  switch (d.scopeType) {
    case 'all':
      return { type: 'all' };
    case 'host':
      return { type: 'host', host: d.scopeHost.trim() };
    case 'stack':
      return {
        type: 'stack',
        stack: d.scopeStack.trim(),
        ...(d.scopeHost.trim() ? { host: d.scopeHost.trim() } : {}),
      };
    case 'label':
      return { type: 'label', key: d.scopeKey.trim(), value: d.scopeValue };
    case 'environment':
      return { type: 'environment', environment: d.scopeEnvironment.trim() };
  }
}

const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * The dialog's fields as a create body, checked with the contract's own schema: the body, or
 * each field's message under the dialog's field names (`threshold`, `scope.host`, …).
 */
export function ruleBody(
  d: RuleDraft,
): { ok: true; body: AlertRuleCreate } | { ok: false; errors: Record<string, string> } {
  const candidate = {
    name: d.name,
    kind: d.kind,
    scope: scopeOf(d),
    threshold: hasThreshold(d.kind) && d.threshold.trim() !== '' ? num(d.threshold) : null,
    forMinutes: num(d.forMinutes),
    repeatMinutes: num(d.repeatMinutes),
    notifyResolved: d.notifyResolved,
    ...(d.severity ? { severity: d.severity } : {}),
    channels: d.channels,
    enabled: d.enabled,
  };
  const parsed = AlertRuleCreate.safeParse(candidate);
  if (parsed.success) return { ok: true, body: parsed.data };
  return {
    ok: false,
    errors: Object.fromEntries(
      parsed.error.issues.map((i) => [i.path.map(String).join('.'), i.message]),
    ),
  };
}

/** An edit: everything the dialog shows but the kind, which a rule keeps. */
export function ruleUpdate(body: AlertRuleCreate): AlertRuleUpdate {
  const update: AlertRuleUpdate & { kind?: unknown } = { ...body };
  delete update.kind;
  return update;
}

/** A silence's end, `hours` from now, as the contract takes it. */
export const endsIn = (hours: number, now = Date.now()): string =>
  new Date(now + hours * 3_600_000).toISOString();
