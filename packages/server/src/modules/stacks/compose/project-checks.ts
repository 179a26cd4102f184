import type { ComposeService } from '@berth/contract';

export interface ProjectProblem {
  path: string;
  message: string;
}

/**
 * What compose refuses about services together: `network_mode` beside `networks`, a fixed
 * `container_name` on more than one replica, and a `depends_on` cycle (which no order of
 * creation can satisfy).
 */
export function checkServices(
  services: Record<string, ComposeService>,
  explicitNetworks: Set<string>,
  /** A swarm stack ignores container_name: replicas are no problem there. */
  swarm = false,
): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  for (const [name, service] of Object.entries(services)) {
    if (service.network_mode && explicitNetworks.has(name)) {
      problems.push({
        path: `services.${name}.network_mode`,
        message: `service "${name}" sets both network_mode and networks; they exclude each other`,
      });
    }
    if (service.container_name && service.scale > 1 && !swarm) {
      problems.push({
        path: `services.${name}.container_name`,
        message: `service "${name}" has a container_name, so it cannot have ${service.scale} replicas`,
      });
    }
  }
  const cycle = dependencyCycle(services);
  if (cycle) {
    const first = cycle[0] ?? '';
    problems.push({
      path: `services.${first}.depends_on`,
      message: `depends_on makes a cycle: ${cycle.join(' → ')}`,
    });
  }
  return problems;
}

function dependencyCycle(services: Record<string, ComposeService>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    const seen = state.get(name);
    if (seen === 'done') return null;
    if (seen === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of Object.keys(services[name]?.depends_on ?? {})) {
      if (!services[dep]) continue;
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of Object.keys(services)) {
    const found = visit(name);
    if (found) return found;
  }
  return null;
}
