import { Ajv2019 } from 'ajv/dist/2019.js';
import type { ErrorObject } from 'ajv';
import { composeSchema } from './schema-overlay.js';
import type { Json } from './yaml-load.js';

/**
 * The compose-spec JSON schema, compiled once when the module loads (server side only; the web
 * editor validates by asking the server).
 */
const ajv = new Ajv2019({ allErrors: true, strict: false });
// The spec's own formats (`duration`, `ports`, …) are checked by the loader where it reads them.
for (const format of ['duration', 'expose', 'ports', 'subnet_ip_address'])
  ajv.addFormat(format, true);
const validateCompose = ajv.compile(composeSchema());

export interface SchemaProblem {
  /** Like `services.web.ports[1]`. */
  path: string;
  message: string;
}

function pathOf(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

function describe(error: ErrorObject): SchemaProblem {
  const at = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const key = String(params.additionalProperty);
    return { path: at === '' ? key : `${at}.${key}`, message: `"${key}" is not allowed here` };
  }
  if (error.keyword === 'type') {
    const type = params.type;
    return {
      path: at,
      message: `must be ${Array.isArray(type) ? type.join(' or ') : String(type)}`,
    };
  }
  if (error.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return { path: at, message: `must be one of ${allowed}` };
  }
  if (error.keyword === 'required')
    return { path: at, message: `needs "${String(params.missingProperty)}"` };
  if (error.keyword === 'uniqueItems') return { path: at, message: 'has duplicate entries' };
  return { path: at, message: error.message ?? 'is not valid' };
}

/**
 * Schema problems, one per place: of the alternatives a `oneOf` tried, the type mismatches are
 * joined into one message and the deeper problems kept, so a user sees what to change.
 */
export function validateSchema(value: Json): SchemaProblem[] {
  if (validateCompose(value)) return [];
  const errors = (validateCompose.errors ?? []).filter(
    (e) => e.keyword !== 'oneOf' && e.keyword !== 'if',
  );
  const deepest = new Map<string, SchemaProblem[]>();
  for (const error of errors) {
    const problem = describe(error);
    const list = deepest.get(problem.path) ?? [];
    if (!list.some((p) => p.message === problem.message)) list.push(problem);
    deepest.set(problem.path, list);
  }
  const paths = [...deepest.keys()];
  const out: SchemaProblem[] = [];
  for (const [at, problems] of deepest) {
    // A type mismatch at a place where a deeper problem exists is the other oneOf branch.
    const deeper = paths.some(
      (p) => p !== at && (p.startsWith(`${at}.`) || p.startsWith(`${at}[`)),
    );
    const types = problems.filter(
      (p) => p.message.startsWith('must be ') && !p.message.includes('one of'),
    );
    const others = problems.filter((p) => !types.includes(p));
    if (others.length > 0) out.push(...others);
    else if (!deeper && types.length > 0) {
      const kinds = [
        ...new Set(types.flatMap((p) => p.message.slice('must be '.length).split(' or '))),
      ];
      out.push({ path: at, message: `must be ${kinds.join(' or ')}` });
    }
  }
  return out;
}
