// A route's wake figures: the stored row, how a wake or a sleep changes it (the day's counts
// start over on a new UTC day), and the state shown on the route.
import type { ProxyWakeInput, ProxyWakeState } from '@berth/contract';
import type { WakeStats } from './wake-stats-repository.js';

export type WakeStateName = ProxyWakeState['state'];

function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

export function emptyStats(routeId: string, now: number): WakeStats {
  return {
    route_id: routeId,
    last_activity_at: null,
    last_wake_at: null,
    last_time_to_healthy_ms: null,
    last_sleep_at: null,
    day: utcDay(now),
    wakes_today: 0,
    sleeps_today: 0,
    reason: null,
    swarm_replicas: null,
  };
}

/** The counts as of `now`: zero when the row's day is over. */
function today(stats: WakeStats, now: number): { wakes: number; sleeps: number } {
  return stats.day === utcDay(now)
    ? { wakes: stats.wakes_today, sleeps: stats.sleeps_today }
    : { wakes: 0, sleeps: 0 };
}

export function afterWake(
  stats: WakeStats,
  now: number,
  timeToHealthyMs: number,
  lastActivityAt: number | null,
): WakeStats {
  const counts = today(stats, now);
  return {
    ...stats,
    day: utcDay(now),
    wakes_today: counts.wakes + 1,
    sleeps_today: counts.sleeps,
    last_wake_at: iso(now),
    last_time_to_healthy_ms: Math.round(timeToHealthyMs),
    last_activity_at: iso(lastActivityAt),
    reason: null,
  };
}

export function afterSleep(
  stats: WakeStats,
  now: number,
  swarmReplicas: number | null,
  lastActivityAt: number | null,
): WakeStats {
  const counts = today(stats, now);
  return {
    ...stats,
    day: utcDay(now),
    wakes_today: counts.wakes,
    sleeps_today: counts.sleeps + 1,
    last_sleep_at: iso(now),
    last_activity_at: iso(lastActivityAt),
    swarm_replicas: swarmReplicas ?? stats.swarm_replicas,
  };
}

export function wakeView(
  wake: ProxyWakeInput,
  state: WakeStateName,
  stats: WakeStats,
  lastActivityAt: number | null,
  now: number,
): ProxyWakeState {
  const counts = today(stats, now);
  const sleepsAt =
    state === 'awake' && lastActivityAt !== null
      ? lastActivityAt + wake.idleMinutes * 60_000
      : null;
  return {
    idleMinutes: wake.idleMinutes,
    startTimeoutSeconds: wake.startTimeoutSeconds,
    state,
    lastActivityAt: iso(lastActivityAt),
    sleepsAt: iso(sleepsAt),
    lastWakeAt: stats.last_wake_at,
    lastTimeToHealthyMs: stats.last_time_to_healthy_ms,
    lastSleepAt: stats.last_sleep_at,
    sleepsToday: counts.sleeps,
    wakesToday: counts.wakes,
    reason: stats.reason,
  };
}
