import { type ComposeProject, EnvironmentTag } from '@berth/contract';
import { AppError } from '../../../core/errors.js';
import { ENVIRONMENT_LABEL } from '../../containers/berth-labels.js';

/**
 * The environment tag a stack gives its containers. A compose file says it at the top, as an
 * extension any compose reads past (`x-berth: {environment: prod}`), or per service as the
 * label Berth reads on every container (`io.berth.environment`); a service's own label wins.
 * The tag rides on the label, so a recreated container keeps it with no record to move.
 */
export function stackEnvironmentTag(document: unknown): string | undefined {
  if (!isRecord(document)) return undefined;
  const extension = document['x-berth'];
  if (!isRecord(extension) || extension.environment === undefined) return undefined;
  const parsed = EnvironmentTag.safeParse(extension.environment);
  if (!parsed.success) {
    const message = `x-berth.environment: ${parsed.error.issues[0]?.message ?? 'not a tag'}`;
    throw AppError.badRequest('bad_environment_tag', message, {
      issues: [{ field: 'x-berth.environment', message }],
    });
  }
  return parsed.data;
}

/** The project with the stack's tag as the label of each service that sets none of its own. */
export function inheritEnvironmentTag(
  project: ComposeProject,
  tag: string | undefined,
): ComposeProject {
  if (tag === undefined) return project;
  const services = Object.fromEntries(
    Object.entries(project.services).map(([name, service]) => [
      name,
      service.labels[ENVIRONMENT_LABEL] === undefined
        ? { ...service, labels: { ...service.labels, [ENVIRONMENT_LABEL]: tag } }
        : service,
    ]),
  );
  return { ...project, services };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
