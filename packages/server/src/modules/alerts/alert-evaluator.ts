import { randomUUID } from 'node:crypto';
import type {
  Alert,
  AlertRule,
  ContainerIncident,
  ContainerSample,
  EventsMessage,
  Silence,
} from '@berth/contract';
import type { Logger } from 'pino';
import { errorMessage } from '../../core/errors.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { IncidentRecorder } from '../health-history/incident-recorder.js';
import { candidatesOf, type Candidate, type Latches } from './alert-conditions.js';
import { notificationOf, silences, type AlertSender } from './alert-notifications.js';
import type { AlertRulesService } from './alert-rules-service.js';
import type { AlertsRepository } from './alerts-repository.js';
import { DataRootDisks, type BackupFailure, type DiskUsage } from './host-conditions.js';

export interface AlertEvaluatorOptions {
  hosts: EngineHosts;
  rules: AlertRulesService;
  repository: AlertsRepository;
  incidents: IncidentRecorder;
  sender: AlertSender;
  logger: Logger;
  /** Environment tags Berth recorded for a host's containers, by container id. */
  environments: (hostId: string) => Promise<Map<string, string>>;
  /** Images with an update available, by host. */
  updates: () => Promise<Map<string, Set<string>>>;
  /** The metrics sampler: its rounds trigger an evaluation of the cpu and memory rules. */
  metrics: {
    latest(hostId?: string): ContainerSample[];
    onSamples(listener: (hostId: string) => void): () => void;
  };
  /** A host's CPU count. */
  cpus: (hostId: string) => Promise<number>;
  /** Scheduled backups whose last run failed. */
  backupFailures: () => Promise<BackupFailure[]>;
  /** How often time-based changes are checked (for-durations, repeats, loops ending). */
  tickMs?: number;
  /** Resolved alerts kept (default 5 000). */
  keepResolved?: number;
  now?: () => number;
}

interface Latch {
  containerId: string;
  /** The last evaluation begun when it was set: only a later one has seen it. */
  setIn: number;
  /** Over (the container started again): dropped once an evaluation has seen it. */
  over: boolean;
}

/**
 * Turns rules into alerts: a condition that holds for a subject is pending, fires once it has
 * held `forMinutes`, notifies again every `repeatMinutes` (unless acknowledged or silenced)
 * and resolves when it clears. One alert per (rule, subject) at a time. It evaluates when the
 * engine state changes, on incidents, on reachability changes and on a slow tick.
 */
export class AlertEvaluator implements Latches {
  private readonly open = new Map<string, { alert: Alert; labels: Record<string, string> }>();
  private readonly pending = new Map<string, number>();
  private readonly latches = new Map<string, Latch>();
  private readonly listeners = new Set<(message: EventsMessage & { type: 'alert' }) => void>();
  private readonly now: () => number;
  private readonly disks: DataRootDisks;
  private loaded = false;
  private generation = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private stops: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: AlertEvaluatorOptions) {
    this.now = o.now ?? Date.now;
    this.disks = new DataRootDisks(this.now);
  }

  start(): void {
    if (this.timer) return;
    const kick = (): void => this.schedule();
    this.stops = [
      this.o.hosts.eachHost((host) => {
        const offChange = host.state.onChange((change) => {
          if (change.kind === 'container') kick();
        });
        const offReach = host.state.onReachability(kick);
        return () => {
          offChange();
          offReach();
        };
      }),
      this.o.incidents.onIncident((incident) => this.onIncident(incident)),
      this.o.rules.onChange(kick),
      this.o.metrics.onSamples(kick),
    ];
    this.timer = setInterval(kick, this.o.tickMs ?? 15_000);
    this.timer.unref();
    kick();
  }

  async stop(): Promise<void> {
    for (const stop of this.stops) stop();
    this.stops = [];
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** An alert message for a host's events stream (HostProgressSource). */
  on(hostId: string, listener: (message: EventsMessage) => void): () => void {
    const forHost = (message: EventsMessage & { type: 'alert' }): void => {
      if (message.host === hostId) listener(message);
    };
    this.listeners.add(forHost);
    return () => this.listeners.delete(forHost);
  }

  held(kind: 'oom' | 'restart_loop', hostId: string, containerName: string): boolean {
    return this.latches.has(`${kind}|${hostId}/${containerName}`);
  }

  /** Evaluates soon; a request while one runs makes it run once more after. */
  schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.evaluate();
        } catch (err) {
          this.o.logger.error({ err: errorMessage(err) }, 'alert evaluation failed');
        }
      } while (this.again && this.timer);
      this.running = null;
    })();
  }

  /** Resolves once no evaluation is running or asked for. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async acknowledge(id: string, username: string): Promise<Alert | undefined> {
    const held = Array.from(this.open.values()).find((entry) => entry.alert.id === id);
    const alert = held?.alert ?? (await this.o.repository.get(id));
    if (!alert) return undefined;
    alert.acknowledgedAt = new Date(this.now()).toISOString();
    alert.acknowledgedBy = username;
    await this.o.repository.save(alert);
    this.emit(alert);
    return alert;
  }

  private onIncident(incident: ContainerIncident): void {
    const subject = `${incident.hostId}/${incident.containerName}`;
    if (incident.kind === 'oom' || incident.kind === 'restart_loop')
      this.latches.set(`${incident.kind}|${subject}`, {
        containerId: incident.containerId,
        setIn: this.generation,
        over: false,
      });
    if (incident.kind === 'start') {
      const oom = this.latches.get(`oom|${subject}`);
      if (oom) oom.over = true;
    }
    if (incident.kind !== 'health') this.schedule();
  }

  private async evaluate(): Promise<void> {
    const generation = ++this.generation;
    if (!this.loaded) {
      for (const alert of await this.o.repository.list('firing', 10_000))
        this.open.set(`${alert.ruleId}|${alert.subject}`, { alert, labels: {} });
      this.loaded = true;
    }
    const rules = (await this.o.rules.list()).filter((rule) => rule.enabled);
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    const hosts = this.o.hosts.list();
    const environments = new Map<string, Map<string, string>>();
    if (rules.some((rule) => rule.scope.type === 'environment'))
      for (const host of hosts) environments.set(host.id, await this.o.environments(host.id));
    const updates = rules.some((rule) => rule.kind === 'image_update_available')
      ? await this.o.updates()
      : new Map<string, Set<string>>();
    const cpus = new Map<string, number>();
    if (rules.some((rule) => rule.kind === 'cpu_above'))
      for (const host of hosts) cpus.set(host.id, await this.o.cpus(host.id).catch(() => 1));
    const samples = (hostId: string) => this.o.metrics.latest(hostId);
    const disks = await this.diskUsage(rules, hosts);
    const backups = rules.some((rule) => rule.kind === 'backup_failed')
      ? await this.o.backupFailures()
      : [];
    const activeSilences = (await this.o.repository.silences()).filter(
      (s) => Date.parse(s.endsAt) > this.now(),
    );
    const now = this.now();
    const seen = new Set<string>();
    for (const rule of rules) {
      for (const candidate of candidatesOf(rule, {
        hosts,
        latches: this,
        environments,
        updates,
        samples,
        cpus,
        disks,
        backups,
      })) {
        const key = `${rule.id}|${candidate.subject}`;
        seen.add(key);
        const held = this.open.get(key);
        if (held) {
          held.labels = candidate.labels;
          await this.maybeNotify(rule, held.alert, held.labels, activeSilences, now);
          continue;
        }
        const since = this.pending.get(key) ?? now;
        this.pending.set(key, since);
        if (now - since >= rule.forMinutes * 60_000)
          await this.fire(key, rule, candidate, since, activeSilences, now);
      }
    }
    for (const key of this.pending.keys()) if (!seen.has(key)) this.pending.delete(key);
    for (const [key, held] of this.open)
      if (!seen.has(key)) await this.resolve(key, byId.get(held.alert.ruleId), activeSilences, now);
    this.releaseLatches(generation);
  }

  private async diskUsage(
    rules: AlertRule[],
    hosts: EngineHost[],
  ): Promise<Map<string, DiskUsage>> {
    const disks = new Map<string, DiskUsage>();
    if (!rules.some((rule) => rule.kind === 'disk_usage_above')) return disks;
    for (const host of hosts) {
      const usage = await this.disks.usage(host).catch((err: unknown) => {
        this.o.logger.debug({ host: host.id, err: errorMessage(err) }, 'data root not read');
        return null;
      });
      if (usage) disks.set(host.id, usage);
    }
    return disks;
  }

  private async fire(
    key: string,
    rule: AlertRule,
    candidate: Candidate,
    since: number,
    active: Omit<Silence, 'active'>[],
    now: number,
  ): Promise<void> {
    this.pending.delete(key);
    const alert: Alert = {
      id: randomUUID(),
      ruleId: rule.id,
      ruleName: rule.name,
      kind: rule.kind,
      severity: rule.severity,
      state: 'firing',
      subject: candidate.subject,
      hostId: candidate.hostId,
      containerName: candidate.containerName,
      summary: candidate.summary,
      startedAt: new Date(since).toISOString(),
      firedAt: new Date(now).toISOString(),
      resolvedAt: null,
      lastNotifiedAt: null,
      notifications: 0,
      silenced: false,
      acknowledgedAt: null,
      acknowledgedBy: null,
    };
    this.open.set(key, { alert, labels: candidate.labels });
    this.o.logger.info({ rule: rule.name, subject: alert.subject }, 'alert firing');
    await this.maybeNotify(rule, alert, candidate.labels, active, now);
    this.emit(alert);
  }

  /** Notifies when due (first time, or a repeat), unless silenced or acknowledged. */
  private async maybeNotify(
    rule: AlertRule,
    alert: Alert,
    labels: Record<string, string>,
    active: Omit<Silence, 'active'>[],
    now: number,
  ): Promise<void> {
    const last = alert.lastNotifiedAt === null ? null : Date.parse(alert.lastNotifiedAt);
    const due =
      last === null ||
      (rule.repeatMinutes > 0 &&
        alert.acknowledgedAt === null &&
        now - last >= rule.repeatMinutes * 60_000);
    if (!due) return;
    if (active.some((s) => silences(s, alert, labels, now))) {
      // Recorded, not sent: it goes out once the silence ends, if still firing.
      if (!alert.silenced) {
        alert.silenced = true;
        await this.o.repository.save(alert);
      }
      return;
    }
    alert.silenced = false;
    this.o.sender.enqueue(rule.channels, notificationOf(alert, rule, 'firing', now));
    alert.notifications += 1;
    alert.lastNotifiedAt = new Date(now).toISOString();
    await this.o.repository.save(alert);
  }

  private async resolve(
    key: string,
    rule: AlertRule | undefined,
    active: Omit<Silence, 'active'>[],
    now: number,
  ): Promise<void> {
    const held = this.open.get(key);
    if (!held) return;
    this.open.delete(key);
    const { alert } = held;
    alert.state = 'resolved';
    alert.resolvedAt = new Date(now).toISOString();
    const silenced = active.some((s) => silences(s, alert, held.labels, now));
    if (rule?.notifyResolved && alert.notifications > 0 && !silenced) {
      this.o.sender.enqueue(rule.channels, notificationOf(alert, rule, 'resolved', now));
      alert.notifications += 1;
      alert.lastNotifiedAt = alert.resolvedAt;
    }
    await this.o.repository.save(alert);
    await this.o.repository.pruneResolved(this.o.keepResolved ?? 5_000);
    this.o.logger.info({ rule: alert.ruleName, subject: alert.subject }, 'alert resolved');
    this.emit(alert);
  }

  /** Event conditions end once an evaluation has seen them and they are over. */
  private releaseLatches(generation: number): void {
    for (const [key, latch] of this.latches) {
      if (latch.setIn >= generation) continue;
      const [kind, subject = ''] = key.split('|');
      const hostId = subject.slice(0, subject.indexOf('/'));
      if (kind === 'restart_loop' && !this.o.incidents.inRestartLoop(hostId, latch.containerId))
        latch.over = true;
      if (latch.over) this.latches.delete(key);
    }
  }

  private emit(alert: Alert): void {
    if (!alert.hostId) return;
    const message = { type: 'alert' as const, host: alert.hostId, alert: { ...alert } };
    for (const listener of this.listeners) listener(message);
  }
}
