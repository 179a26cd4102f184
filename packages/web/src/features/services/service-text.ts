import type { ServicePort, ServiceSummary } from '@berth/contract';

/** What a service's update status means, in words. */
export function updateText(update: ServiceSummary['update']): string {
  if (!update) return 'never updated';
  switch (update.state) {
    case 'updating':
      return 'updating';
    case 'paused':
      return 'update paused';
    case 'completed':
      return 'updated';
    case 'rollback_started':
    case 'rollback_paused':
    case 'rollback_completed': {
      const who =
        update.rollback === 'automatic'
          ? 'by the engine (the update failed)'
          : update.rollback === 'manual'
            ? 'manually'
            : '';
      const what =
        update.state === 'rollback_started'
          ? 'rolling back'
          : update.state === 'rollback_paused'
            ? 'rollback paused'
            : 'rolled back';
      return who ? `${what} ${who}` : what;
    }
  }
}

export function portText(p: ServicePort): string {
  const published = p.published === null ? '' : `${p.published}→`;
  return `${published}${p.target}/${p.protocol}${p.mode === 'host' ? ' (host)' : ''}`;
}

/** A stable hue per service name, for the visualizer's cards. */
export function serviceHue(name: string): number {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) % 360;
  return hash;
}
