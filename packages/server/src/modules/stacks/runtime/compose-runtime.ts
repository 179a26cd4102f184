import type { ComposeProject, Role, StackPlan } from '@berth/contract';
import type { EngineHosts } from '../../../docker/engine-hosts.js';
import { hmac } from '../../../core/crypto.js';
import { requireHost } from '../../hosts/require-host.js';
import type {
  OnStackProgress,
  PlanDraft,
  StackOperation,
  StackOutcome,
  StackRuntime,
} from '../stack-ports.js';
import { StackApply, type ContainerCreator, type Emit } from './apply.js';
import { controlProject, downProject, pullProject } from './lifecycle.js';
import { fingerprintOf, readLiveState } from './live-state.js';
import { planStack } from './plan.js';
import { heldPorts, portConflicts } from './port-conflicts.js';
import type { ContentSeal } from './service-fields.js';
import type { RegistryCredentials } from './images.js';
import type { VolumePolicy } from './resources.js';

export interface ComposeRuntimeDeps {
  hosts: EngineHosts;
  /** ContainerCreateService: the same checks and create as a container made in the UI. */
  creator: ContainerCreator;
  /** HostSecurityService: volumes whose driver options reach into the host. */
  volumePolicy: VolumePolicy;
  /** RegistriesService: Berth's registry logins, sent with every pull and build. */
  registries: RegistryCredentials;
  /** The key of the digests labels hold of secret and config content (stable across restarts). */
  contentKey: Buffer;
}

/**
 * Berth's compose engine on the Engine API: plan (pure, against the project's objects found
 * by their compose labels) and apply (the one step with side effects), down, start/stop/
 * restart and pull. Works the same on every kind of host.
 */
export class ComposeRuntime implements StackRuntime {
  private readonly seal: ContentSeal;

  constructor(private readonly deps: ComposeRuntimeDeps) {
    this.seal = (content) => hmac(deps.contentKey, content);
  }

  async plan(hostId: string, project: ComposeProject): Promise<PlanDraft> {
    const host = requireHost(this.deps.hosts, hostId);
    const live = await readLiveState(host.client, project.name, project);
    const draft = planStack(hostId, project, live, this.seal);
    const held = heldPorts(host.state.containers(), project.name);
    draft.plan.resources.push(...portConflicts(project, draft.plan, held));
    return draft;
  }

  async fingerprint(hostId: string, project: ComposeProject): Promise<string> {
    const host = requireHost(this.deps.hosts, hostId);
    return fingerprintOf(project, await readLiveState(host.client, project.name, project));
  }

  apply(
    hostId: string,
    project: ComposeProject,
    plan: StackPlan,
    options: { role: Role; onProgress: OnStackProgress },
  ): Promise<StackOutcome> {
    const host = requireHost(this.deps.hosts, hostId);
    return new StackApply({
      host,
      project,
      plan,
      role: options.role,
      creator: this.deps.creator,
      volumePolicy: this.deps.volumePolicy,
      registries: this.deps.registries,
      seal: this.seal,
      emit: emitter(hostId, project.name, 'up', options.onProgress),
    }).run();
  }

  down(
    hostId: string,
    projectName: string,
    options: { removeVolumes: boolean; onProgress: OnStackProgress },
  ): Promise<StackOutcome> {
    const host = requireHost(this.deps.hosts, hostId);
    const emit = emitter(hostId, projectName, 'down', options.onProgress);
    return downProject(host, projectName, options.removeVolumes, emit);
  }

  control(
    hostId: string,
    project: ComposeProject | string,
    operation: 'start' | 'stop' | 'restart',
    options: { services?: string[]; onProgress: OnStackProgress },
  ): Promise<StackOutcome> {
    const host = requireHost(this.deps.hosts, hostId);
    const name = typeof project === 'string' ? project : project.name;
    const emit = emitter(hostId, name, operation, options.onProgress);
    return controlProject(host, project, operation, options.services, emit);
  }

  pull(
    hostId: string,
    project: ComposeProject,
    options: { role: Role; onProgress: OnStackProgress },
  ): Promise<StackOutcome> {
    const host = requireHost(this.deps.hosts, hostId);
    const emit = emitter(hostId, project.name, 'pull', options.onProgress);
    return pullProject(host, project, this.deps.registries, emit);
  }
}

function emitter(
  host: string,
  stack: string,
  operation: StackOperation,
  onProgress: OnStackProgress,
): Emit {
  return (service, container, step, message = null) =>
    onProgress({ type: 'stack', host, stack, operation, service, container, step, message });
}
