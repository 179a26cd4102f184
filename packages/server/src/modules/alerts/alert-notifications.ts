import type { Alert, AlertRule, Silence } from '@berth/contract';
import type { AlertNotification } from '../notifications/notifier.js';

/** Where alerts are sent: the Notifier (queued, retried and recorded per channel). */
export interface AlertSender {
  enqueue(channelIds: string[], notification: AlertNotification): void;
}

/** The notification of an alert that fires (again) or resolves. */
export function notificationOf(
  alert: Alert,
  rule: AlertRule | undefined,
  status: 'firing' | 'resolved',
  at: number,
): AlertNotification {
  const verb = status === 'firing' ? 'FIRING' : 'RESOLVED';
  const fields: Record<string, string> = { rule: alert.ruleName, kind: alert.kind };
  if (alert.hostId) fields.host = alert.hostId;
  if (alert.containerName) fields.container = alert.containerName;
  fields.since = alert.startedAt;
  if (alert.resolvedAt) fields.resolved = alert.resolvedAt;
  return {
    title: `[${verb}] ${alert.ruleName}: ${alert.subject}`,
    body: status === 'firing' ? alert.summary : `Resolved: ${alert.summary}`,
    severity: rule?.severity ?? alert.severity,
    status,
    fields,
    alertId: alert.id,
    ruleId: alert.ruleId,
    ...(alert.hostId ? { hostId: alert.hostId } : {}),
    at: new Date(at).toISOString(),
  };
}

/** Whether a silence holds an alert's notifications: every matcher it gives matches. */
export function silences(
  silence: Pick<Silence, 'matchers' | 'endsAt'>,
  alert: Alert,
  labels: Record<string, string>,
  now: number,
): boolean {
  if (Date.parse(silence.endsAt) <= now) return false;
  const m = silence.matchers;
  if (m.ruleId !== undefined && m.ruleId !== alert.ruleId) return false;
  if (m.host !== undefined && m.host !== alert.hostId) return false;
  if (m.container !== undefined && m.container !== alert.containerName) return false;
  if (m.label !== undefined && labels[m.label.key] !== m.label.value) return false;
  return true;
}
