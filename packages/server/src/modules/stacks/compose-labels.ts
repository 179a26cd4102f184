/**
 * The labels the compose CLI v2 puts on what it creates, with the exact keys it uses, so that
 * `docker compose ls/ps/logs/down` (and Debian's docker-compose v1, which reads the same
 * project and service labels) see Berth's stacks as theirs, and Berth finds theirs.
 */
export const COMPOSE_PROJECT = 'com.docker.compose.project';
export const COMPOSE_SERVICE = 'com.docker.compose.service';
export const COMPOSE_CONTAINER_NUMBER = 'com.docker.compose.container-number';
export const COMPOSE_ONEOFF = 'com.docker.compose.oneoff';
export const COMPOSE_WORKING_DIR = 'com.docker.compose.project.working_dir';
export const COMPOSE_CONFIG_FILES = 'com.docker.compose.project.config_files';
export const COMPOSE_DEPENDS_ON = 'com.docker.compose.depends_on';
export const COMPOSE_VERSION = 'com.docker.compose.version';
export const COMPOSE_CONFIG_HASH = 'com.docker.compose.config-hash';
/** The image id the container was created from (apply sets it, once the image is there). */
export const COMPOSE_IMAGE = 'com.docker.compose.image';
export const COMPOSE_NETWORK = 'com.docker.compose.network';
export const COMPOSE_VOLUME = 'com.docker.compose.volume';

/**
 * Berth's own digest (SHA-256) of the service's desired container spec: what plan compares.
 * The CLI's config-hash is its own digest of its Go structure, which Berth cannot reproduce.
 */
export const STACK_HASH = 'io.berth.stack.hash';
/** Short digests per compose field (`environment.FOO`, `image`, …), so a plan can say what changed. */
export const STACK_FIELDS = 'io.berth.stack.fields';

/**
 * The compose version written in `com.docker.compose.version`: a constant, not a real CLI's.
 * The CLI only reads it to warn about much older versions; 2.20.0 is past those checks.
 */
export const COMPOSE_VERSION_VALUE = '2.20.0';

export interface DependencyLabel {
  service: string;
  condition: string;
  restart: boolean;
}

/** `svc:condition:restart` comma-joined, as compose v2 writes `com.docker.compose.depends_on`. */
export function formatDependsOn(
  dependsOn: Record<string, { condition: string; restart?: boolean | undefined }>,
): string {
  return Object.entries(dependsOn)
    .map(([service, dep]) => `${service}:${dep.condition}:${dep.restart === true}`)
    .join(',');
}

export function parseDependsOn(label: string | undefined): DependencyLabel[] {
  if (!label) return [];
  return label
    .split(',')
    .filter((item) => item.length > 0)
    .map((item) => {
      const [service = '', condition = 'service_started', restart = 'false'] = item.split(':');
      return { service, condition, restart: restart === 'true' };
    });
}

export interface ContainerLabelInput {
  project: string;
  service: string;
  number: number;
  workingDir: string;
  configFiles: string[];
  dependsOn: string;
}

/** The compose labels of one container of a service (Berth's hashes are added by the spec). */
export function containerLabels(input: ContainerLabelInput): Record<string, string> {
  return {
    [COMPOSE_PROJECT]: input.project,
    [COMPOSE_SERVICE]: input.service,
    [COMPOSE_CONTAINER_NUMBER]: String(input.number),
    [COMPOSE_ONEOFF]: 'False',
    [COMPOSE_WORKING_DIR]: input.workingDir,
    [COMPOSE_CONFIG_FILES]: input.configFiles.join(','),
    [COMPOSE_DEPENDS_ON]: input.dependsOn,
    [COMPOSE_VERSION]: COMPOSE_VERSION_VALUE,
  };
}

export function networkLabels(project: string, key: string): Record<string, string> {
  return {
    [COMPOSE_NETWORK]: key,
    [COMPOSE_PROJECT]: project,
    [COMPOSE_VERSION]: COMPOSE_VERSION_VALUE,
  };
}

export function volumeLabels(project: string, key: string): Record<string, string> {
  return {
    [COMPOSE_VOLUME]: key,
    [COMPOSE_PROJECT]: project,
    [COMPOSE_VERSION]: COMPOSE_VERSION_VALUE,
  };
}

/** The engine filter that finds a project's objects. */
export function projectFilter(project: string): Record<string, string[]> {
  return { label: [`${COMPOSE_PROJECT}=${project}`] };
}
