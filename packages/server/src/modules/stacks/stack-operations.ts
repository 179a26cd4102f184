import { randomUUID } from 'node:crypto';
import {
  shellJoin,
  type ComposeProject,
  type Role,
  type StackOperationResult,
  type StackPlan,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { invalidFiles, type StackCatalog, type StackLocation } from './stack-catalog.js';
import { maskSecrets } from './config-mask.js';
import { changedFiles, StackPlans } from './stack-plans.js';
import type { StackProgressFeed } from './stack-progress.js';
import type { StackOutcome, StackRuntime } from './stack-ports.js';

/** How long a plan can be applied after it was shown. */
export const PLAN_TTL_MS = 15 * 60_000;

export interface Caller {
  role: Role;
  username: string | null;
}

/** `docker compose -p <name> …`, with the stack's folder and files where compose needs them. */
export function composeCli(location: StackLocation | null, name: string, args: string[]): string {
  const files =
    location?.folder && location.configFiles
      ? location.configFiles.flatMap((f) => ['-f', f])
      : location?.folder
        ? ['--project-directory', location.folder]
        : [];
  return shellJoin(['docker', 'compose', '-p', name, ...files, ...args]);
}

const answer = (outcome: StackOutcome, cli: string, plan?: StackPlan): StackOperationResult => ({
  ok: outcome.ok,
  services: outcome.services,
  ...(plan ? { plan } : {}),
  cli,
});

/** Validate, config, plan and apply, and the runtime's other operations, with progress on the events stream. */
export class StackOperations {
  private readonly plans: StackPlans;

  constructor(
    private readonly catalog: StackCatalog,
    private readonly runtime: StackRuntime,
    private readonly progress: StackProgressFeed,
    /** The host's secret variables (StackVariablesService), masked in what `config` answers. */
    private readonly secretValues: (hostId: string) => Promise<string[]>,
    private readonly now: () => number = Date.now,
  ) {
    this.plans = new StackPlans(PLAN_TTL_MS, now);
  }

  /** The editor's files checked as they are (missing ones read from the stack folder). */
  async validate(hostId: string, name: string, files: Record<string, string>) {
    const location = (await this.catalog.locate(hostId, name)) ?? {
      hostId,
      name,
      folder: null,
      configFiles: undefined,
    };
    const { result } = await this.catalog.loadProject(location, { overlay: files });
    return result.ok
      ? {
          ok: true,
          issues: result.warnings,
          services: Object.keys(result.project.services),
          project: await this.shown(hostId, result.project),
        }
      : { ok: false, issues: result.issues, services: [] };
  }

  /**
   * The normalized project, as `docker compose config` shows it, less what is secret: an
   * `environment:` secret names its variable, not its value, and the value of every secret
   * host variable is `********` wherever it occurs.
   */
  async config(hostId: string, name: string): Promise<ComposeProject> {
    const location = await this.catalog.require(hostId, name);
    const { project } = await this.catalog.requireProject(location);
    return this.shown(hostId, project);
  }

  /** A project as `config` shows it: secrets and configs by source only, values masked. */
  private async shown(hostId: string, project: ComposeProject): Promise<ComposeProject> {
    const shown = {
      ...project,
      secrets: sourcesOnly(project.secrets),
      configs: sourcesOnly(project.configs),
    };
    return maskSecrets(shown, await this.secretValues(hostId));
  }

  async plan(
    hostId: string,
    name: string,
    options: {
      profiles?: string[] | undefined;
      removeOrphans: boolean;
      files?: Record<string, string> | undefined;
    },
  ): Promise<StackPlan> {
    const { project, reads } =
      options.files === undefined
        ? await this.catalog.requireProject(
            await this.catalog.require(hostId, name),
            options.profiles,
          )
        : await this.previewProject(hostId, name, options.files, options.profiles);
    const draft = await this.runtime.plan(hostId, project);
    const services = options.removeOrphans
      ? draft.plan.services
      : draft.plan.services.filter((s) => s.action !== 'remove');
    const plan: StackPlan = {
      ...draft.plan,
      services,
      unchanged: draft.plan.unchanged || services.every((s) => s.action === 'unchanged'),
      planId: randomUUID(),
      createdAt: new Date(this.now()).toISOString(),
    };
    this.plans.keep({
      plan,
      reads,
      fingerprint: draft.fingerprint,
      profiles: options.profiles,
      project,
    });
    return plan;
  }

  /** The project of files not yet written over the stack's (which need not exist yet). */
  private async previewProject(
    hostId: string,
    name: string,
    files: Record<string, string>,
    profiles: string[] | undefined,
  ): Promise<{ project: ComposeProject; reads: Record<string, string | null> }> {
    const location = await this.catalog.locate(hostId, name);
    if (location) this.catalog.editable(location);
    const { result, reads } = await this.catalog.loadProject(
      location ?? { hostId, name, folder: null, configFiles: undefined },
      { overlay: files, ...(profiles ? { profiles } : {}) },
    );
    if (!result.ok) throw invalidFiles(result.issues);
    return { project: result.project, reads };
  }

  /** Applies the plan named (refused if the files or the engine moved since), or a fresh one. */
  async up(
    hostId: string,
    name: string,
    options: {
      planId?: string | undefined;
      profiles?: string[] | undefined;
      removeOrphans: boolean;
    },
    caller: Caller,
  ): Promise<StackOperationResult> {
    const location = await this.catalog.require(hostId, name);
    let planId = options.planId;
    if (planId === undefined) planId = (await this.plan(hostId, name, options)).planId;
    const kept = this.plans.take(planId);
    if (!kept || kept.plan.host !== hostId || kept.plan.stack !== name)
      throw AppError.conflict(
        'plan_unknown',
        `No plan ${planId} for "${name}" (plans are kept ${PLAN_TTL_MS / 60_000} minutes and applied once): make a new plan`,
      );
    const { result, reads } = await this.catalog.loadProject(
      location,
      kept.profiles ? { profiles: kept.profiles } : {},
    );
    if (!result.ok) throw invalidFiles(result.issues);
    const changed = changedFiles(kept.reads, reads);
    if (changed.length > 0)
      throw AppError.conflict(
        'plan_outdated',
        `The files changed since the plan (${changed.join(', ')}): make a new plan`,
        { changed },
      );
    const fingerprint = await this.runtime.fingerprint(hostId, result.project);
    if (fingerprint !== kept.fingerprint)
      throw AppError.conflict(
        'plan_outdated',
        `The stack's containers, networks or volumes changed on the engine since the plan: make a new plan`,
      );
    const outcome = await this.runtime.apply(hostId, result.project, kept.plan, {
      role: caller.role,
      onProgress: this.progress.reporter(hostId, name),
    });
    await this.catalog.repository.recordDeploy(hostId, name, {
      at: new Date(this.now()).toISOString(),
      by: caller.username,
      ok: outcome.ok,
    });
    const args = ['up', '--detach', ...(options.removeOrphans ? ['--remove-orphans'] : [])];
    const profiles = (kept.profiles ?? []).flatMap((p) => ['--profile', p]);
    return answer(outcome, composeCli(location, name, [...profiles, ...args]), kept.plan);
  }

  async down(hostId: string, name: string, removeVolumes: boolean): Promise<StackOperationResult> {
    await this.catalog.require(hostId, name);
    const outcome = await this.runtime.down(hostId, name, {
      removeVolumes,
      onProgress: this.progress.reporter(hostId, name),
    });
    return answer(
      outcome,
      composeCli(null, name, ['down', ...(removeVolumes ? ['--volumes'] : [])]),
    );
  }

  /** start, stop or restart: by the project's files when Berth has them, else by label. */
  async control(
    hostId: string,
    name: string,
    operation: 'start' | 'stop' | 'restart',
    services: string[] | undefined,
  ): Promise<StackOperationResult> {
    const location = await this.catalog.require(hostId, name);
    const project =
      location.folder === null ? name : (await this.catalog.requireProject(location)).project;
    const outcome = await this.runtime.control(hostId, project, operation, {
      ...(services ? { services } : {}),
      onProgress: this.progress.reporter(hostId, name),
    });
    return answer(outcome, composeCli(null, name, [operation, ...(services ?? [])]));
  }

  async pull(
    hostId: string,
    name: string,
    services: string[] | undefined,
    caller: Caller,
  ): Promise<StackOperationResult> {
    const location = await this.catalog.require(hostId, name);
    const { project } = await this.catalog.requireProject(location);
    const only = services ? { ...project, services: pick(project.services, services) } : project;
    const outcome = await this.runtime.pull(hostId, only, {
      role: caller.role,
      onProgress: this.progress.reporter(hostId, name),
    });
    return answer(outcome, composeCli(location, name, ['pull', ...(services ?? [])]));
  }
}

function pick<T>(all: Record<string, T>, names: string[]): Record<string, T> {
  const unknown = names.filter((n) => !(n in all));
  if (unknown.length > 0)
    throw AppError.badRequest('unknown_service', `No service ${unknown.join(', ')} in the stack`, {
      issues: [{ field: 'body.services', message: `unknown: ${unknown.join(', ')}` }],
    });
  return Object.fromEntries(names.map((n) => [n, all[n] as T]));
}

function sourcesOnly(objects: ComposeProject['secrets']): ComposeProject['secrets'] {
  return Object.fromEntries(
    Object.entries(objects).map(([key, object]) => {
      if (object.environment === undefined) return [key, object];
      const shown = { ...object };
      delete shown.content;
      return [key, shown];
    }),
  );
}
