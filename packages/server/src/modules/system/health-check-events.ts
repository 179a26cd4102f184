import type { RecentEvent } from '../../docker/recent-events.js';
import type { RawContainerInspect } from '../../docker/engine-types.js';

const EXEC_WITH_COMMAND = /^exec_(create|start): (.*)$/s;

/**
 * The command line the engine names in the exec events of a container's health probe
 * ("exec_start: /bin/sh -c curl -f localhost"): the test, after the shell for CMD-SHELL.
 */
export function healthProbeCommand(inspect: RawContainerInspect): string | null {
  const [kind, ...rest] = inspect.Config.Healthcheck?.Test ?? [];
  if (kind === 'CMD') return rest.join(' ').trim();
  if (kind === 'CMD-SHELL') {
    return [...(inspect.Config.Shell ?? ['/bin/sh', '-c']), ...rest].join(' ').trim();
  }
  return null;
}

/**
 * The events without the execs of health probes (their create, start and die), which a fast
 * healthcheck repeats every few seconds. An exec is a probe when its command is the container's
 * health test; its exec_die is known by the exec id.
 */
export async function withoutHealthProbes(
  events: RecentEvent[],
  probeCommandOf: (containerId: string) => Promise<string | null>,
): Promise<RecentEvent[]> {
  const probeExecs = new Set<string>();
  const commands = new Map<string, Promise<string | null>>();
  for (const event of events) {
    const match = event.type === 'container' ? EXEC_WITH_COMMAND.exec(event.action) : null;
    if (!match || event.execId === null) continue;
    let command = commands.get(event.id);
    if (!command) {
      command = probeCommandOf(event.id);
      commands.set(event.id, command);
    }
    const probe = await command;
    if (probe !== null && probe === (match[2] ?? '').trim()) probeExecs.add(event.execId);
  }
  return events.filter((e) => e.execId === null || !probeExecs.has(e.execId));
}
