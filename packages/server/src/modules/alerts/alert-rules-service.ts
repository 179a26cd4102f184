import { randomUUID } from 'node:crypto';
import {
  THRESHOLD_KINDS,
  type AlertRule,
  type AlertRuleCreate,
  type AlertRuleKind,
  type AlertRuleUpdate,
  type AlertScope,
  type AlertSeverity,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { AlertRulesRepository } from './alert-rules-repository.js';

const SEVERITY: Record<AlertRuleKind, AlertSeverity> = {
  container_down: 'critical',
  exited_nonzero: 'critical',
  unhealthy: 'warning',
  restart_loop: 'critical',
  oom: 'critical',
  cpu_above: 'warning',
  memory_above: 'warning',
  host_unreachable: 'critical',
  disk_usage_above: 'warning',
  image_update_available: 'info',
  backup_failed: 'warning',
};

/** Kinds not about containers: a stack, label or environment scope means nothing to them. */
const HOST_KINDS: readonly AlertRuleKind[] = [
  'host_unreachable',
  'disk_usage_above',
  'backup_failed',
];

/** Alert rules: checked, defaulted and stored; every change tells the evaluator. */
export class AlertRulesService {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly repository: AlertRulesRepository,
    private readonly hosts: EngineHosts,
    private readonly channelIds: () => Promise<Set<string>>,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Promise<AlertRule[]> {
    return this.repository.list();
  }

  async get(id: string): Promise<AlertRule> {
    const rule = await this.repository.get(id);
    if (!rule) throw AppError.notFound('alert_rule_not_found', `No alert rule "${id}"`, { id });
    return rule;
  }

  async create(input: AlertRuleCreate): Promise<AlertRule> {
    const at = new Date(this.now()).toISOString();
    const rule: AlertRule = {
      id: randomUUID(),
      name: input.name,
      kind: input.kind,
      scope: input.scope,
      threshold: input.threshold ?? null,
      forMinutes: input.forMinutes,
      repeatMinutes: input.repeatMinutes,
      notifyResolved: input.notifyResolved,
      severity: input.severity ?? SEVERITY[input.kind],
      channels: input.channels,
      enabled: input.enabled,
      createdAt: at,
      updatedAt: at,
    };
    await this.check(rule);
    await this.repository.save(rule);
    this.changed();
    return rule;
  }

  async update(id: string, changes: AlertRuleUpdate): Promise<AlertRule> {
    const current = await this.get(id);
    const defined = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined),
    ) as AlertRuleUpdate;
    const rule: AlertRule = {
      ...current,
      ...defined,
      threshold: changes.threshold === undefined ? current.threshold : changes.threshold,
      updatedAt: new Date(this.now()).toISOString(),
    };
    await this.check(rule);
    await this.repository.save(rule);
    this.changed();
    return rule;
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repository.delete(id)))
      throw AppError.notFound('alert_rule_not_found', `No alert rule "${id}"`, { id });
    this.changed();
  }

  /** Called after every change of the rules; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** What the schema cannot say alone: the field is named in the 400. */
  private async check(rule: AlertRule): Promise<void> {
    if (rule.threshold !== null && !THRESHOLD_KINDS.includes(rule.kind))
      throw invalid('threshold', `a ${rule.kind} rule takes no threshold`);
    const host = scopeHost(rule.scope);
    if (host !== undefined && !this.hosts.get(host))
      throw invalid('scope.host', `no host "${host}"`);
    if (HOST_KINDS.includes(rule.kind) && rule.scope.type !== 'all' && rule.scope.type !== 'host')
      throw invalid('scope.type', `a ${rule.kind} rule is scoped to all hosts or one host`);
    const known = await this.channelIds();
    const unknown = rule.channels.find((id) => !known.has(id));
    if (unknown !== undefined) throw invalid('channels', `no notification channel "${unknown}"`);
  }
}

function scopeHost(scope: AlertScope): string | undefined {
  return scope.type === 'host' || scope.type === 'stack' ? scope.host : undefined;
}

function invalid(field: string, message: string): AppError {
  return AppError.badRequest('validation_failed', `Invalid request: body.${field}: ${message}`, {
    issues: [{ field: `body.${field}`, message }],
  });
}
