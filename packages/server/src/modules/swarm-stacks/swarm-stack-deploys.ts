import { randomUUID } from 'node:crypto';
import {
  shellJoin,
  type SwarmObjectResult,
  type SwarmStackDeployRequest,
  type SwarmStackDeployResult,
  type SwarmStackPlan,
  type SwarmStackPlanRequest,
  type SwarmStackSource,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { RawServiceSpec } from '../../docker/swarm-types.js';
import { changedFiles } from '../stacks/stack-plans.js';
import type { SwarmStackEngine } from './swarm-stack-engine.js';
import type { SwarmStackHosts } from './swarm-stack-hosts.js';
import type { SwarmStackSources } from './swarm-stack-source.js';
import { planSwarmStack, type PlannedStep } from './stack-planner.js';
import { stackToSwarm, type SwarmFileObject } from './stack-to-swarm.js';

/** How long a plan can be applied after it was shown. */
export const SWARM_PLAN_TTL_MS = 15 * 60_000;

interface KeptPlan {
  plan: SwarmStackPlan;
  steps: PlannedStep[];
  source: SwarmStackSource;
  reads: Record<string, string | null>;
  expiresAt: number;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The spec with the ids of the secrets and configs it names, as the engine wants them. */
function withObjectIds(
  spec: RawServiceSpec,
  ids: { secrets: Map<string, string>; configs: Map<string, string> },
): RawServiceSpec {
  const container = spec.TaskTemplate.ContainerSpec;
  const need = (map: Map<string, string>, name: string, kind: string): string => {
    const id = map.get(name);
    if (id === undefined) throw new Error(`the ${kind} "${name}" does not exist`);
    return id;
  };
  return {
    ...spec,
    TaskTemplate: {
      ...spec.TaskTemplate,
      ContainerSpec: {
        ...container,
        ...(container.Secrets
          ? {
              Secrets: container.Secrets.map((r) => ({
                ...r,
                SecretID: need(ids.secrets, r.SecretName ?? '', 'secret'),
              })),
            }
          : {}),
        ...(container.Configs
          ? {
              Configs: container.Configs.map((r) => ({
                ...r,
                ConfigID: need(ids.configs, r.ConfigName ?? '', 'config'),
              })),
            }
          : {}),
      },
    },
  };
}

/** Plan and deploy a compose stack to a swarm (`docker stack deploy`), object by object. */
export class SwarmStackDeploys {
  private readonly plans = new Map<string, KeptPlan>();

  constructor(
    private readonly hosts: SwarmStackHosts,
    private readonly sources: SwarmStackSources,
    private readonly now: () => number = Date.now,
  ) {}

  async plan(
    hostId: string,
    namespace: string,
    request: SwarmStackPlanRequest,
  ): Promise<SwarmStackPlan> {
    return (await this.prepare(hostId, namespace, request)).plan;
  }

  private async prepare(
    hostId: string,
    namespace: string,
    request: SwarmStackPlanRequest,
  ): Promise<KeptPlan> {
    const engine = await this.hosts.manager(hostId);
    const loaded = await this.sources.load(hostId, namespace, request.source);
    const stack = stackToSwarm(loaded.project, loaded.ignored);
    const read = async (objects: SwarmFileObject[]) =>
      new Map(
        await Promise.all(
          objects
            .filter((o) => !o.external)
            .map(async (o) => [o.name, await loaded.data(o)] as const),
        ),
      );
    const data = { secrets: await read(stack.secrets), configs: await read(stack.configs) };
    const steps = planSwarmStack(stack, await engine.snapshot(namespace), data, request.prune);
    const plan: SwarmStackPlan = {
      planId: randomUUID(),
      host: hostId,
      namespace,
      createdAt: new Date(this.now()).toISOString(),
      objects: steps.map((s) => s.object),
      unsupported: stack.unsupported,
      unchanged: steps.every((s) => ['unchanged', 'external'].includes(s.object.action)),
      cli: shellJoin([
        'docker',
        'stack',
        'deploy',
        ...loaded.composeFiles.flatMap((f) => ['-c', f]),
        ...(request.prune ? ['--prune'] : []),
        '--resolve-image',
        'never',
        namespace,
      ]),
    };
    const kept = {
      plan,
      steps,
      source: request.source,
      reads: loaded.reads,
      expiresAt: this.now() + SWARM_PLAN_TTL_MS,
    };
    this.sweep();
    this.plans.set(plan.planId, kept);
    return kept;
  }

  private sweep(): void {
    for (const [id, kept] of this.plans) if (kept.expiresAt <= this.now()) this.plans.delete(id);
  }

  /** The plan named (once, and only while the files are as they were), or a fresh one. */
  private async planToApply(
    hostId: string,
    namespace: string,
    request: SwarmStackDeployRequest,
  ): Promise<KeptPlan> {
    if (request.planId === undefined) return this.prepare(hostId, namespace, request);
    this.sweep();
    const kept = this.plans.get(request.planId);
    this.plans.delete(request.planId);
    if (!kept || kept.plan.host !== hostId || kept.plan.namespace !== namespace)
      throw AppError.conflict(
        'plan_unknown',
        `No plan ${request.planId} for "${namespace}" (plans are kept ${SWARM_PLAN_TTL_MS / 60_000} minutes and applied once): make a new plan`,
      );
    const { reads } = await this.sources.load(hostId, namespace, kept.source);
    const changed = changedFiles(kept.reads, reads);
    if (changed.length > 0)
      throw AppError.conflict(
        'plan_outdated',
        `The files changed since the plan (${changed.join(', ')}): make a new plan`,
        { changed },
      );
    return kept;
  }

  async deploy(
    hostId: string,
    namespace: string,
    request: SwarmStackDeployRequest,
  ): Promise<SwarmStackDeployResult> {
    const kept = await this.planToApply(hostId, namespace, request);
    const conflicts = kept.plan.objects.filter((o) => o.action === 'conflict');
    if (conflicts.length > 0)
      throw AppError.conflict(
        'swarm_stack_conflict',
        `The plan has conflicts: ${conflicts.map((c) => `${c.kind} ${c.name}: ${c.message ?? ''}`).join('; ')}`,
        { conflicts },
      );
    const engine = await this.hosts.manager(hostId);
    const results = await this.apply(engine, kept.steps);
    return {
      ok: results.every((r) => r.status !== 'failed'),
      plan: kept.plan,
      results,
      cli: kept.plan.cli,
    };
  }

  /** Networks, secrets and configs, then services, then removals: each reported on its own. */
  private async apply(
    engine: SwarmStackEngine,
    steps: PlannedStep[],
  ): Promise<SwarmObjectResult[]> {
    const results: SwarmObjectResult[] = [];
    let ids: { secrets: Map<string, string>; configs: Map<string, string> } | undefined;
    const objectIds = async () => {
      const [secrets, configs] = await Promise.all([engine.secrets(), engine.configs()]);
      return {
        secrets: new Map(secrets.map((s) => [s.Spec.Name, s.ID])),
        configs: new Map(configs.map((c) => [c.Spec.Name, c.ID])),
      };
    };
    for (const { object, step } of steps) {
      const result: SwarmObjectResult = {
        kind: object.kind,
        name: object.name,
        action: object.action,
        status: 'done',
      };
      try {
        if (step.op === 'none') result.status = 'skipped';
        else if (step.op === 'remove') {
          await engine.remove(step.kind, step.id);
          result.id = step.id;
        } else if ('data' in step)
          result.id = await engine.createObject(step.kind, step.name, step.labels, step.data);
        else if (step.kind === 'network') result.id = await engine.createNetwork(step.spec);
        else {
          ids ??= await objectIds();
          const spec = withObjectIds(step.spec, ids);
          if (step.op === 'create') result.id = await engine.createService(spec);
          else {
            await engine.updateService(step.id, step.version, spec);
            result.id = step.id;
          }
        }
      } catch (err) {
        result.status = 'failed';
        result.message = message(err);
      }
      results.push(result);
    }
    return results;
  }
}
