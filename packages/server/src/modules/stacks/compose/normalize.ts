import type { ComposeIssue, ComposeProject, ComposeService } from '@berth/contract';
import type { Lookup } from './interpolate.js';
import { isMap } from './merge.js';
import { normalizeService } from './normalize-service.js';
import { issueInDocs } from './paths.js';
import { checkServices } from './project-checks.js';
import { NOT_SUPPORTED, stringMap } from './service-parts.js';
import { bool, text, ValueError } from './units.js';
import type { ComposeDocument, Json, JsonMap } from './yaml-load.js';

export interface NormalizeInput {
  name: string;
  workingDir: string;
  configFiles: string[];
  services: JsonMap;
  disabled: string[];
  top: JsonMap;
  lookup: Lookup;
  envFiles: ReadonlyMap<string, string | null>;
  docs: readonly ComposeDocument[];
  /** Loading for a swarm stack (see ServiceContext.swarm). */
  swarm?: boolean;
}

const NETWORK_KEYS = new Set([
  'name',
  'driver',
  'driver_opts',
  'ipam',
  'external',
  'internal',
  'attachable',
  'enable_ipv6',
  'labels',
]);
const VOLUME_KEYS = new Set(['name', 'driver', 'driver_opts', 'external', 'labels']);
const FILE_OBJECT_KEYS = new Set(['name', 'file', 'environment', 'content', 'external']);
/** Messages that start with the key they are about, to be named in full. */
const refusal = (message: string): boolean =>
  message.includes(NOT_SUPPORTED) || message.includes(' differ; ');
const TOP_KEYS = new Set([
  'version',
  'name',
  'services',
  'networks',
  'volumes',
  'secrets',
  'configs',
]);

/** Whether an `external` value says external (`true`, `"true"`, or the old `{name: …}` form). */
function external(value: Json | undefined): { external: boolean; name?: string } {
  if (value === undefined || value === null) return { external: false };
  if (isMap(value))
    return { external: true, ...(typeof value.name === 'string' ? { name: value.name } : {}) };
  return { external: bool(value) };
}

/**
 * The merged, profile-filtered project in the canonical long form: every service normalized,
 * the default network added for services that name no network, resource names prefixed with
 * the project's, and references between them checked. Issues name where each problem was
 * written; the result is parsed with `ComposeProject` by the caller.
 */
export function normalizeProject(input: NormalizeInput): {
  project: ComposeProject;
  issues: ComposeIssue[];
  /** Keys a swarm stack ignores (only when loading for one). */
  ignored: ComposeIssue[];
} {
  const issues: ComposeIssue[] = [];
  const ignored: ComposeIssue[] = [];
  const report = (at: string, message: string): void => {
    issues.push(issueInDocs(input.docs, at, message));
  };
  const guard = (at: string, fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      report(at, error.message);
    }
  };
  for (const key of Object.keys(input.top)) {
    if (!TOP_KEYS.has(key) && key !== 'include' && !key.startsWith('x-'))
      report(key, `${key} ${NOT_SUPPORTED}`);
  }
  const services: Record<string, ComposeService> = {};
  for (const [name, raw] of Object.entries(input.services)) {
    if (!isMap(raw)) continue;
    services[name] = normalizeService(raw, {
      workingDir: input.workingDir,
      lookup: input.lookup,
      envFiles: input.envFiles,
      report: (rel, message) =>
        report(
          `services.${name}.${rel}`,
          refusal(message) ? `services.${name}.${message}` : message,
        ),
      ...(input.swarm
        ? {
            swarm: {
              ignored: (rel: string, message: string) =>
                ignored.push(issueInDocs(input.docs, `services.${name}.${rel}`, message)),
            },
          }
        : {}),
    });
    if (raw.image === undefined && raw.build === undefined) {
      report(`services.${name}`, `services.${name} needs an image or a build`);
    }
  }
  const networks: ComposeProject['networks'] = {};
  const rawNetworks = isMap(input.top.networks) ? input.top.networks : {};
  for (const [key, raw] of Object.entries(rawNetworks)) {
    const spec = isMap(raw) ? raw : {};
    guard(`networks.${key}`, () => {
      const ext = external(spec.external);
      const name =
        typeof spec.name === 'string'
          ? spec.name
          : (ext.name ?? (ext.external ? key : `${input.name}_${key}`));
      const net: ComposeProject['networks'][string] = { name };
      if (ext.external) net.external = true;
      if (spec.driver !== undefined) net.driver = text(spec.driver);
      if (spec.driver_opts !== undefined) net.driver_opts = stringMap(spec.driver_opts);
      for (const flag of ['internal', 'attachable', 'enable_ipv6'] as const) {
        if (spec[flag] !== undefined) net[flag] = bool(spec[flag] ?? null);
      }
      if (spec.labels !== undefined) net.labels = stringMap(spec.labels);
      if (isMap(spec.ipam)) {
        const ipam = spec.ipam;
        net.ipam = {
          ...(ipam.driver === undefined ? {} : { driver: text(ipam.driver) }),
          ...(Array.isArray(ipam.config)
            ? {
                config: ipam.config.map((c, i) => {
                  const cfg = isMap(c) ? c : {};
                  if (cfg.aux_addresses !== undefined)
                    report(
                      `networks.${key}.ipam.config[${i}].aux_addresses`,
                      `networks.${key}.ipam.config[${i}].aux_addresses ${NOT_SUPPORTED}`,
                    );
                  return {
                    ...(cfg.subnet === undefined ? {} : { subnet: text(cfg.subnet) }),
                    ...(cfg.gateway === undefined ? {} : { gateway: text(cfg.gateway) }),
                    ...(cfg.ip_range === undefined ? {} : { ip_range: text(cfg.ip_range) }),
                  };
                }),
              }
            : {}),
        };
        if (ipam.options !== undefined)
          report(`networks.${key}.ipam.options`, `networks.${key}.ipam.options ${NOT_SUPPORTED}`);
      }
      for (const k of Object.keys(spec)) {
        if (!NETWORK_KEYS.has(k) && !k.startsWith('x-'))
          report(`networks.${key}.${k}`, `networks.${key}.${k} ${NOT_SUPPORTED}`);
      }
      networks[key] = net;
    });
  }
  for (const [name, service] of Object.entries(services)) {
    if (!service.networks && !service.network_mode) service.networks = { default: null };
    for (const net of Object.keys(service.networks ?? {})) {
      if (net === 'default' && !networks.default)
        networks.default = { name: `${input.name}_default` };
      if (!networks[net])
        report(
          `services.${name}.networks.${net}`,
          `service "${name}" refers to undefined network ${net}`,
        );
    }
  }
  const volumes = resources(
    input,
    'volumes',
    VOLUME_KEYS,
    report,
    guard,
  ) as ComposeProject['volumes'];
  const secrets = resources(
    input,
    'secrets',
    FILE_OBJECT_KEYS,
    report,
    guard,
  ) as ComposeProject['secrets'];
  const configs = resources(
    input,
    'configs',
    FILE_OBJECT_KEYS,
    report,
    guard,
  ) as ComposeProject['configs'];
  for (const [name, service] of Object.entries(services)) {
    service.volumes.forEach((v, i) => {
      if (v.type === 'volume' && v.source && !volumes[v.source]) {
        report(
          `services.${name}.volumes[${i}]`,
          `service "${name}" refers to undefined volume ${v.source}`,
        );
      }
    });
    for (const [kind, defined] of [
      ['secrets', secrets],
      ['configs', configs],
    ] as const) {
      (service[kind] ?? []).forEach((ref, i) => {
        if (!defined[ref.source])
          report(
            `services.${name}.${kind}[${i}]`,
            `service "${name}" refers to undefined ${kind.slice(0, -1)} ${ref.source}`,
          );
      });
    }
    for (const dep of Object.keys(service.depends_on)) {
      if (!services[dep])
        report(
          `services.${name}.depends_on`,
          `service "${name}" depends on undefined service "${dep}"`,
        );
    }
  }
  const explicitNetworks = new Set(
    Object.entries(input.services)
      .filter(([, raw]) => isMap(raw) && raw.networks !== undefined && raw.networks !== null)
      .map(([name]) => name),
  );
  for (const problem of checkServices(services, explicitNetworks, input.swarm))
    report(problem.path, problem.message);
  const project: ComposeProject = {
    name: input.name,
    working_dir: input.workingDir,
    config_files: input.configFiles,
    services,
    networks,
    volumes,
    secrets,
    configs,
    disabled_services: input.disabled,
  };
  return { project, issues, ignored };
}

function resources(
  input: NormalizeInput,
  section: 'volumes' | 'secrets' | 'configs',
  allowed: Set<string>,
  report: (at: string, message: string) => void,
  guard: (at: string, fn: () => void) => void,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const raw = isMap(input.top[section]) ? input.top[section] : {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = isMap(value) ? value : {};
    guard(`${section}.${key}`, () => {
      const ext = external(spec.external);
      const entry: Record<string, unknown> = {
        name:
          typeof spec.name === 'string'
            ? spec.name
            : (ext.name ?? (ext.external ? key : `${input.name}_${key}`)),
      };
      if (ext.external) entry.external = true;
      for (const k of ['driver', 'file', 'environment', 'content'] as const) {
        if (spec[k] !== undefined && allowed.has(k)) entry[k] = text(spec[k] ?? null);
      }
      // `environment: VAR`: the variable's value, from the same variables as interpolation.
      if (section !== 'volumes' && typeof entry.environment === 'string') {
        const value = input.lookup(entry.environment);
        if (value === undefined)
          report(
            `${section}.${key}.environment`,
            `${section}.${key}: the variable ${entry.environment} is not set`,
          );
        else entry.content = value;
      }
      if (allowed.has('driver_opts') && spec.driver_opts !== undefined)
        entry.driver_opts = stringMap(spec.driver_opts);
      if (allowed.has('labels') && spec.labels !== undefined) entry.labels = stringMap(spec.labels);
      for (const k of Object.keys(spec)) {
        if (!allowed.has(k) && !k.startsWith('x-'))
          report(`${section}.${key}.${k}`, `${section}.${key}.${k} ${NOT_SUPPORTED}`);
      }
      if (
        section !== 'volumes' &&
        !ext.external &&
        !entry.file &&
        !entry.environment &&
        entry.content === undefined
      ) {
        report(
          `${section}.${key}`,
          `${section}.${key} needs a file, an environment variable or content`,
        );
      }
      out[key] = entry;
    });
  }
  return out;
}
