import type { ComposeProject, StackServiceState, StackSummary } from '@berth/contract';
import { isAbsolute, resolve } from 'node:path';
import type { EngineContainer } from '../../docker/container-summary.js';

/** The compose CLI's labels (compose-labels.ts, the runtime's, will hold them once merged). */
export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  dependsOn: 'com.docker.compose.depends_on',
} as const;

/** A compose project on the engine: its containers (one-off `run` containers left out). */
export interface EngineProject {
  name: string;
  containers: EngineContainer[];
  workingDir: string | null;
  configFiles: string[];
  /** Services with a container whose restart policy is "no": one-shots when they exit 0. */
  noRestart: Set<string>;
}

/**
 * The project's compose files as absolute paths: compose v2 labels them so, docker-compose v1
 * labels them as given on its command line (`docker-compose.yml`), relative to where it ran,
 * which is the project's working directory.
 */
export function configPaths(label: string, workingDir: string | null): string[] {
  return label
    .split(',')
    .filter((f) => f !== '')
    .map((f) => (isAbsolute(f) || workingDir === null ? f : resolve(workingDir, f)));
}

/**
 * Every compose project on the engine, by the compose CLI's project label. `restartPolicy`
 * tells a container's policy (null: not known yet).
 */
export function engineProjects(
  containers: EngineContainer[],
  restartPolicy: (id: string) => string | null = () => null,
): Map<string, EngineProject> {
  const projects = new Map<string, EngineProject>();
  for (const c of containers) {
    const name = c.labels[LABEL.project];
    if (name === undefined || c.labels[LABEL.oneoff] === 'True') continue;
    let project = projects.get(name);
    if (!project) {
      const files = c.labels[LABEL.configFiles];
      const workingDir = c.labels[LABEL.workingDir] ?? null;
      project = {
        name,
        containers: [],
        workingDir,
        configFiles: files ? configPaths(files, workingDir) : [],
        noRestart: new Set(),
      };
      projects.set(name, project);
    }
    project.containers.push(c);
    const service = c.labels[LABEL.service];
    if (service !== undefined && restartPolicy(c.id) === 'no') project.noRestart.add(service);
  }
  return projects;
}

/** What the files say about services, when they load. */
export interface DesiredServices {
  names: string[];
  /** The image each service runs (or is built as), by service. */
  images: Map<string, string>;
  /** One-shot services: `restart: "no"` (or none), or a `service_completed_successfully` dependency. */
  oneShot: Set<string>;
}

export function desiredServices(project: ComposeProject): DesiredServices {
  const oneShot = new Set<string>();
  for (const [name, service] of Object.entries(project.services)) {
    if (service.restart === undefined || service.restart === 'no') oneShot.add(name);
    for (const [dep, { condition }] of Object.entries(service.depends_on))
      if (condition === 'service_completed_successfully') oneShot.add(dep);
  }
  const images = new Map(
    Object.entries(project.services).map(([name, service]) => [
      name,
      service.image ?? `${project.name}-${name}`,
    ]),
  );
  return { names: Object.keys(project.services), images, oneShot };
}

/**
 * One-shot services of a stack without files: from the containers' `depends_on` labels
 * (`service_completed_successfully`) and their restart policy ("no").
 */
function oneShotFromEngine(containers: EngineContainer[], noRestart: Set<string>): Set<string> {
  const found = new Set(noRestart);
  for (const c of containers)
    for (const entry of (c.labels[LABEL.dependsOn] ?? '').split(',')) {
      const [service, condition] = entry.split(':');
      if (service && condition === 'service_completed_successfully') found.add(service);
    }
  return found;
}

/** `docker stop` ends a process with SIGTERM (143) or, after the grace period, SIGKILL (137). */
const STOP_CODES = new Set([137, 143]);

function failure(c: EngineContainer): string | null {
  if (c.state === 'dead') return `${c.name} is dead`;
  if (c.oomKilled) return `${c.name} ran out of memory`;
  if (c.health === 'unhealthy') return `${c.name} is unhealthy`;
  if (
    c.state === 'exited' &&
    c.exitCode !== null &&
    c.exitCode !== 0 &&
    !STOP_CODES.has(c.exitCode)
  )
    return `${c.name} exited with code ${c.exitCode}`;
  return null;
}

function serviceState(
  name: string,
  containers: EngineContainer[],
  oneShot: boolean,
  desiredImage: string | null,
): { state: StackServiceState; why: string | null } {
  const running = containers.filter((c) => c.state === 'running' || c.state === 'paused').length;
  const base = {
    name,
    running,
    total: containers.length,
    image: containers[0]?.image ?? desiredImage,
    containers: containers
      .map((c) => ({
        id: c.id,
        name: c.name,
        number: Number(c.labels[LABEL.number] ?? Number.NaN) || null,
        state: c.state,
        status: c.status,
        health: c.health,
        exitCode: c.exitCode,
        image: c.image,
      }))
      .sort((a, b) => (a.number ?? 0) - (b.number ?? 0)),
  };
  const failures = containers.map(failure).filter((f): f is string => f !== null);
  const state = ((): StackServiceState['state'] => {
    if (containers.length === 0) return 'missing';
    if (failures.length > 0) return 'failed';
    if (containers.some((c) => c.state === 'restarting')) return 'restarting';
    if (running === containers.length) return 'running';
    if (running > 0) return 'partial';
    const allDone = containers.every((c) => c.state === 'exited' && c.exitCode === 0);
    return oneShot && allDone ? 'completed' : 'stopped';
  })();
  return { state: { ...base, state }, why: failures.join(', ') || null };
}

/** Services, the stack's state and the sentence that says why, from files and containers. */
export function stackStates(
  desired: DesiredServices | null,
  containers: EngineContainer[],
  noRestart: Set<string> = new Set(),
): Pick<StackSummary, 'state' | 'message' | 'services'> {
  const byService = new Map<string, EngineContainer[]>();
  for (const name of desired?.names ?? []) byService.set(name, []);
  for (const c of containers) {
    const service = c.labels[LABEL.service] ?? c.name;
    byService.set(service, [...(byService.get(service) ?? []), c]);
  }
  const oneShot = desired?.oneShot ?? oneShotFromEngine(containers, noRestart);
  const states = [...byService].map(([name, list]) =>
    serviceState(name, list, oneShot.has(name), desired?.images.get(name) ?? null),
  );
  const services = states.map((s) => s.state).sort((a, b) => a.name.localeCompare(b.name));
  const failed = states.filter((s) => s.state.state === 'failed');
  // The state says "not deployed"; a sentence repeating it adds nothing.
  if (containers.length === 0) return { state: 'empty', message: null, services };
  if (failed.length > 0)
    return {
      state: 'failed',
      message: failed.map((s) => `${s.state.name} failed: ${s.why ?? 'unknown'}`).join('; '),
      services,
    };
  const up = services.filter((s) => s.state === 'running' || s.state === 'completed');
  if (up.length === services.length) return { state: 'running', message: null, services };
  if (services.some((s) => s.running > 0)) {
    const down = services.filter((s) => !up.includes(s)).map((s) => `${s.name} (${s.state})`);
    return { state: 'partial', message: `not running: ${down.join(', ')}`, services };
  }
  return { state: 'stopped', message: null, services };
}
