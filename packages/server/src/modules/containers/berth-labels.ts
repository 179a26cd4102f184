import type { ContainerSummary } from '@berth/contract';
import type { EngineContainer } from '../../docker/container-summary.js';

/**
 * The labels Berth puts on the containers it creates. They travel with the container, so a
 * container stays "managed by Berth" across a restart of Berth or a move of its database.
 */
export const MANAGED_LABEL = 'io.berth.managed';
export const ENVIRONMENT_LABEL = 'io.berth.environment';

export function isManaged(labels: Record<string, string>): boolean {
  return labels[MANAGED_LABEL] === 'true';
}

/** The environment tag of a container's labels; Berth's own record of it (a later tag) wins. */
export function labelledEnvironment(labels: Record<string, string>): string | null {
  return labels[ENVIRONMENT_LABEL] ?? null;
}

/** A list entry of the engine as Berth serves it: with what its labels and records say. */
export function withBerthLabels(
  container: EngineContainer,
  recordedEnvironment: string | undefined,
): ContainerSummary {
  return {
    ...container,
    managed: isManaged(container.labels),
    environment: recordedEnvironment ?? labelledEnvironment(container.labels),
  };
}
