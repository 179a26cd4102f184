import type {
  ComposeIssue,
  ComposeProject,
  Role,
  StackPlan,
  StreamStackProgress,
} from '@berth/contract';

/**
 * The seams between the three parts of stacks: the compose loader (pure: files → project), the
 * compose runtime (project + engine → plan, apply), and the stacks service (folders on disk,
 * routes, history). Each part is built and tested alone against these.
 */

/** Reads a file by absolute path; null when it does not exist. The editor passes unsaved files this way. */
export type ReadFile = (absolutePath: string) => Promise<string | null>;

export interface LoadInput {
  /** The project name (the stack's name): lower case letters, digits, `-` and `_`. */
  name: string;
  /** The stack folder, absolute; relative paths resolve against it. */
  workingDir: string;
  /**
   * Files to read, absolute, in order (later ones override). Absent: compose's discovery —
   * compose.yaml | compose.yml | docker-compose.yml | docker-compose.yaml, then its override file.
   */
  configFiles?: string[];
  /** Profiles to enable (`COMPOSE_PROFILES` from `.env` counts too). */
  profiles?: string[];
  /** Berth's global variables for the host; the stack's `.env` overrides them. */
  env?: Record<string, string>;
  read: ReadFile;
  /** Load for `docker stack deploy`: the whole `deploy` section, swarm-ignored keys as warnings. */
  swarm?: boolean;
}

export type LoadResult =
  | { ok: true; project: ComposeProject; warnings: ComposeIssue[] }
  | { ok: false; issues: ComposeIssue[] };

/** What a plan was computed against, so an apply can refuse a plan the engine has moved past. */
export interface PlanDraft {
  plan: Omit<StackPlan, 'planId' | 'createdAt'>;
  /** A digest of the project's containers, networks and volumes on the engine at plan time. */
  fingerprint: string;
}

export type StackOperation = StreamStackProgress['operation'];
export type OnStackProgress = (event: StreamStackProgress) => void;

export interface ServiceOutcome {
  service: string;
  status: 'done' | 'unchanged' | 'completed' | 'failed' | 'skipped';
  /** Why it failed or was skipped: the exit code, the last log lines, the health output. */
  message?: string;
}

export interface StackOutcome {
  ok: boolean;
  services: ServiceOutcome[];
}

export interface StackRuntime {
  /** Desired (the project) against actual (the engine): an action per service and container. */
  plan(hostId: string, project: ComposeProject): Promise<PlanDraft>;
  /** The digest `plan` would record now; an apply refuses when it differs from the plan's. */
  fingerprint(hostId: string, project: ComposeProject): Promise<string>;
  /** Carries out exactly the plan; the role goes through the host's security policy per container. */
  apply(
    hostId: string,
    project: ComposeProject,
    plan: StackPlan,
    options: { role: Role; onProgress: OnStackProgress },
  ): Promise<StackOutcome>;
  /** Removes the project's containers and networks (and its volumes when asked) by label. */
  down(
    hostId: string,
    projectName: string,
    options: { removeVolumes: boolean; onProgress: OnStackProgress },
  ): Promise<StackOutcome>;
  /** start, stop or restart the project's containers (all, or the services named), in dependency order. */
  control(
    hostId: string,
    project: ComposeProject | string,
    operation: 'start' | 'stop' | 'restart',
    options: { services?: string[]; onProgress: OnStackProgress },
  ): Promise<StackOutcome>;
  /** Pulls (or builds) every service's image. */
  pull(
    hostId: string,
    project: ComposeProject,
    options: { role: Role; onProgress: OnStackProgress },
  ): Promise<StackOutcome>;
}
