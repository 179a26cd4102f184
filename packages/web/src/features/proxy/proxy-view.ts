import type {
  ProxyCertificate,
  ProxyRoute,
  ProxyRouteSource,
  ProxyTarget,
  ProxyTls,
  ProxyWakeState,
} from '@berth/contract';
import { age } from '../../components/time.js';

/** What each TLS choice does, as the dialog's radio and the table say it. */
export const TLS_CHOICES: { value: ProxyTls; label: string; line: string }[] = [
  {
    value: 'auto',
    label: 'Automatic',
    line: 'A public certificate by ACME (the email and CA of the proxy settings); the name must reach Caddy from the internet',
  },
  {
    value: 'internal',
    label: 'Internal CA',
    line: "Caddy's own CA, for home-lab names: browsers trust it once its root is installed",
  },
  { value: 'off', label: 'Off', line: 'Plain HTTP, no certificate' },
];

/** "app.test", "app.test/api": an address as a link shows it (no scheme, no bare trailing /). */
export const addressText = (url: string): string =>
  url.replace(/^https?:\/\//, '').replace(/\/$/, '');

/** "local / web:80", "local / shop/api:8080", "swarm / service api:80". */
export function targetText(t: ProxyTarget): string {
  const what =
    t.kind === 'container'
      ? (t.container ?? '?')
      : t.kind === 'stack-service'
        ? `${t.stack ?? '?'}/${t.service ?? '?'}`
        : `service ${t.swarmService ?? '?'}`;
  return `${t.host} / ${what}:${t.port}`;
}

/** The page of the thing a route sends to, under its host (for hostPath). */
export function targetPage(t: ProxyTarget): string {
  if (t.kind === 'container') return `containers/${t.container ?? ''}`;
  if (t.kind === 'stack-service') return `stacks/${t.stack ?? ''}`;
  return `services/${t.swarmService ?? ''}`;
}

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/**
 * "in 62 days", "3 days ago", "in 5 hours": certificates are renewed by days, so days are
 * counted (not rounded to months), hours within the last day.
 */
function inDays(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (Math.abs(ms) >= 86_400_000) return relative.format(Math.round(ms / 86_400_000), 'day');
  return relative.format(Math.round(ms / 3_600_000), 'hour');
}

/** A certificate's state in words: "expires in 62 days", "expired 3 days ago", "none yet". */
export function certificateText(
  cert: ProxyCertificate,
  now = Date.now(),
): { text: string; tone: Tone } {
  const ends = cert.notAfter;
  switch (cert.state) {
    case 'valid':
      return { text: ends ? `expires ${inDays(ends, now)}` : 'valid', tone: 'good' };
    case 'expiring':
      return { text: ends ? `expires ${inDays(ends, now)}` : 'expiring', tone: 'warn' };
    case 'expired':
      return { text: ends ? `expired ${inDays(ends, now)}` : 'expired', tone: 'bad' };
    // The reason (often a TLS library's error text) goes in the cell's title, not the cell.
    case 'none':
      return { text: 'no certificate yet', tone: 'neutral' };
    case 'unknown':
      return { text: 'certificate not read', tone: 'neutral' };
  }
}

export function appliedTone(state: ProxyRoute['applied']['state']): Tone {
  if (state === 'applied') return 'good';
  if (state === 'pending') return 'info';
  if (state === 'disabled') return 'neutral';
  return 'bad';
}

export const APPLIED_LABELS: Record<ProxyRoute['applied']['state'], string> = {
  applied: 'applied',
  pending: 'applying…',
  not_applied: 'not applied',
  disabled: 'disabled',
};

export function wakeTone(state: ProxyWakeState['state']): Tone {
  if (state === 'awake') return 'good';
  if (state === 'asleep') return 'neutral';
  return 'info';
}

/** "1.4 s", "350 ms": how long a wake took to answer healthy. */
export function durationText(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/**
 * The facts under a wake state: when it sleeps next (awake), when it fell asleep, the last wake
 * and how long it took to be healthy, the sleeps of today, and why the last wake failed.
 */
export function wakeFacts(w: ProxyWakeState, now = Date.now()): string[] {
  const facts: string[] = [];
  if (w.state === 'awake' && w.sleepsAt) facts.push(`sleeps ${age(w.sleepsAt, now)}`);
  if (w.state === 'asleep' && w.lastSleepAt) facts.push(`asleep since ${age(w.lastSleepAt, now)}`);
  if (w.lastWakeAt) {
    const took =
      w.lastTimeToHealthyMs === null ? '' : `, healthy in ${durationText(w.lastTimeToHealthyMs)}`;
    facts.push(`woke ${age(w.lastWakeAt, now)}${took}`);
  }
  facts.push(w.sleepsToday === 1 ? '1 sleep today' : `${w.sleepsToday} sleeps today`);
  if (w.reason) facts.push(`last wake failed: ${w.reason}`);
  return facts;
}

/** "API", or "labels on web (local)", "labels on shop/api (local)". */
export function sourceText(source: ProxyRouteSource): string {
  if (source.type === 'api') return 'API';
  const what =
    source.container ??
    (source.stack ? `${source.stack}/${source.service ?? '?'}` : (source.service ?? '?'));
  return `labels on ${what} (${source.host})`;
}

/** The containers list's and pages' view of a container, enough to find its routes. */
export interface RoutedContainer {
  id: string;
  name: string;
  composeProject?: string | null;
  composeService?: string | null;
}

/**
 * The routes that send to a container: to it by name or id, to its compose service (it is one
 * of the replicas), or with it among the upstreams Caddy dials.
 */
export function routesOfContainer(
  routes: readonly ProxyRoute[],
  host: string,
  c: RoutedContainer,
): ProxyRoute[] {
  return routes.filter((r) => {
    if (r.target.host !== host) return false;
    const t = r.target;
    if (t.container !== null && (t.container === c.name || c.id.startsWith(t.container)))
      return true;
    if (
      t.stack !== null &&
      t.stack === c.composeProject &&
      t.service !== null &&
      t.service === c.composeService
    )
      return true;
    return r.upstreams.some((u) => u.container === c.name);
  });
}

/** The routes of a compose project on a host: to one of its services, or declared by its labels. */
export function routesOfStack(
  routes: readonly ProxyRoute[],
  host: string,
  stack: string,
): ProxyRoute[] {
  return routes.filter(
    (r) =>
      r.target.host === host &&
      (r.target.stack === stack || (r.source.type === 'labels' && r.source.stack === stack)),
  );
}
