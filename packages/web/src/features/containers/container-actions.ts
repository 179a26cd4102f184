import type { ContainerState, PortMapping } from '@berth/contract';

export type ContainerAction =
  'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'remove';

export const ACTION_LABELS: Record<ContainerAction, string> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  pause: 'Pause',
  unpause: 'Unpause',
  kill: 'Kill',
  remove: 'Remove',
};

/** What the action is doing while it runs: "Stopping…" (a stop may wait for its timeout). */
export const ACTION_PROGRESS: Record<ContainerAction, string> = {
  start: 'Starting…',
  stop: 'Stopping…',
  restart: 'Restarting…',
  pause: 'Pausing…',
  unpause: 'Unpausing…',
  kill: 'Killing…',
  remove: 'Removing…',
};

/**
 * The actions that apply to a container in this state, in menu order: a paused one is unpaused
 * (not started), a restarting one can be stopped or killed, an exited one started; any can be
 * removed (a running one is stopped first), except one being removed.
 */
export function actionsFor(state: ContainerState): ContainerAction[] {
  switch (state) {
    case 'running':
      return ['stop', 'restart', 'pause', 'kill', 'remove'];
    case 'paused':
      return ['unpause', 'stop', 'kill', 'remove'];
    case 'restarting':
      return ['stop', 'kill', 'remove'];
    case 'created':
    case 'exited':
      return ['start', 'remove'];
    case 'dead':
      return ['remove'];
    case 'removing':
      return [];
  }
}

/** The engine lists a binding on every address family ("0.0.0.0" and "::") as two entries. */
const ANY_ADDRESS = new Set(['', '0.0.0.0', '::']);

/**
 * One entry per binding: "8081→80/tcp" once though the engine lists it for IPv4 and IPv6; a
 * binding to a specific host address keeps it ("127.0.0.1:8081→80/tcp").
 */
export function portBindings(ports: PortMapping[]): string[] {
  const seen = new Set<string>();
  for (const p of ports) {
    if (p.publicPort === null) continue;
    const ip = p.hostIp === null || ANY_ADDRESS.has(p.hostIp) ? '' : p.hostIp;
    const host = ip === '' ? '' : ip.includes(':') ? `[${ip}]:` : `${ip}:`;
    seen.add(
      `${host}${p.publicPort}→${p.privatePort}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`,
    );
  }
  return [...seen];
}
