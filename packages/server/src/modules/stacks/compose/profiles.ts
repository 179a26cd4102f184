import type { ComposeIssue } from '@berth/contract';
import { isMap } from './merge.js';
import { issueInDocs } from './paths.js';
import { asText, omit, type ComposeDocument, type JsonMap } from './yaml-load.js';

export interface ProfilesResult {
  services: JsonMap;
  disabled: string[];
  issues: ComposeIssue[];
  warnings: ComposeIssue[];
}

/** Each dependency: its name, whether it is required, and the path of its entry. */
const dependencies = (service: JsonMap): [string, boolean, string][] => {
  const deps = service.depends_on;
  if (Array.isArray(deps)) return deps.map((d, i) => [asText(d), true, `[${i}]`]);
  if (!isMap(deps)) return [];
  return Object.entries(deps).map(([name, spec]) => [
    name,
    !(isMap(spec) && spec.required === false),
    `.${name}`,
  ]);
};

/**
 * Profiles applied: a service with `profiles` is enabled only when one of them is active (`*`
 * activates all). An enabled service's required dependency that is disabled or missing is an
 * error naming both; one with `required: false` is dropped from its `depends_on`, with a warning.
 */
export function applyProfiles(
  services: JsonMap,
  active: readonly string[],
  docs: readonly ComposeDocument[],
): ProfilesResult {
  const all = active.includes('*');
  const enabled: JsonMap = {};
  const disabled: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    const profiles =
      isMap(service) && Array.isArray(service.profiles) ? service.profiles.map(String) : [];
    if (profiles.length === 0 || all || profiles.some((p) => active.includes(p)))
      enabled[name] = service;
    else disabled.push(name);
  }
  const issues: ComposeIssue[] = [];
  const warnings: ComposeIssue[] = [];
  for (const [name, service] of Object.entries(enabled)) {
    if (!isMap(service)) continue;
    for (const [dep, required, entry] of dependencies(service)) {
      if (isMap(enabled[dep])) continue;
      const at = `services.${name}.depends_on${entry}`;
      const why = disabled.includes(dep)
        ? `service "${name}" depends on "${dep}", which its profiles (${profilesOf(services[dep])}) leave out`
        : `service "${name}" depends on "${dep}", which is not defined`;
      if (required) issues.push(issueInDocs(docs, at, why));
      else {
        warnings.push(issueInDocs(docs, at, `${why}; skipped because it is not required`));
        enabled[name] = withoutDependency(service, dep);
      }
    }
  }
  return { services: enabled, disabled, issues, warnings };
}

function profilesOf(service: JsonMap[string] | undefined): string {
  return isMap(service) && Array.isArray(service.profiles)
    ? service.profiles.map(String).join(', ')
    : '';
}

function withoutDependency(service: JsonMap, dep: string): JsonMap {
  const deps = service.depends_on;
  if (Array.isArray(deps)) return { ...service, depends_on: deps.filter((d) => d !== dep) };
  if (isMap(deps)) return { ...service, depends_on: omit(deps, dep) };
  return service;
}
