import { randomUUID } from 'node:crypto';
import type { Alert, AlertsQuery, Silence, SilenceCreate } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { AlertEvaluator } from './alert-evaluator.js';
import type { AlertsRepository } from './alerts-repository.js';

type CanSee = (hostId: string) => boolean;

/** Alerts as people read them (firing, history), acknowledgement and silences. */
export class AlertsService {
  constructor(
    private readonly repository: AlertsRepository,
    private readonly evaluator: AlertEvaluator,
    private readonly now: () => number = Date.now,
  ) {}

  /** Newest first, only those of hosts the caller may see. */
  async list(query: AlertsQuery, canSee: CanSee): Promise<Alert[]> {
    const alerts = await this.repository.list(query.state, query.limit);
    return alerts.filter((alert) => alert.hostId === null || canSee(alert.hostId));
  }

  async acknowledge(id: string, username: string, canSee: CanSee): Promise<Alert> {
    const found = await this.repository.get(id);
    if (!found || (found.hostId !== null && !canSee(found.hostId)))
      throw AppError.notFound('alert_not_found', `No alert "${id}"`, { id });
    const alert = await this.evaluator.acknowledge(id, username);
    if (!alert) throw AppError.notFound('alert_not_found', `No alert "${id}"`, { id });
    return alert;
  }

  async silences(): Promise<Silence[]> {
    const now = this.now();
    return (await this.repository.silences()).map((s) => ({
      ...s,
      active: Date.parse(s.endsAt) > now,
    }));
  }

  async createSilence(input: SilenceCreate, createdBy: string): Promise<Silence> {
    const silence = {
      id: randomUUID(),
      matchers: input.matchers,
      endsAt: new Date(input.endsAt).toISOString(),
      comment: input.comment,
      createdBy,
      createdAt: new Date(this.now()).toISOString(),
    };
    await this.repository.saveSilence(silence);
    this.evaluator.schedule();
    return { ...silence, active: true };
  }

  /** Ends a silence now (it stays in the list, ended). */
  async endSilence(id: string): Promise<void> {
    if (!(await this.repository.silenceExists(id)))
      throw AppError.notFound('silence_not_found', `No silence "${id}"`, { id });
    await this.repository.endSilence(id, new Date(this.now()).toISOString());
    this.evaluator.schedule();
  }
}
