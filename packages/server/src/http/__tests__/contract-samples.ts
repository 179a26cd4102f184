import type { z } from 'zod';

/**
 * Reading a route's zod schemas: valid sample values (the baseline every bad case changes in
 * one place) and the fields a schema has. Only what the contract uses is understood; anything
 * else throws Uncoverable, which the suite reports as a route it cannot cover.
 */

export type Schema = z.ZodType;
interface Def {
  type: string;
  [key: string]: unknown;
}

export class Uncoverable extends Error {}

export function defOf(schema: Schema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set([
  'optional',
  'default',
  'prefault',
  'nullable',
  'readonly',
  'catch',
  'nonoptional',
]);

/** The schema under optional/default/nullable wrappers, and whether a value may be left out. */
export function unwrap(schema: Schema): { inner: Schema; optional: boolean } {
  let inner = schema;
  let optional = false;
  for (let def = defOf(inner); WRAPPERS.has(def.type); def = defOf(inner)) {
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault')
      optional = true;
    inner = def.innerType as Schema;
  }
  return { inner, optional };
}

/** What kind of value a field takes: the type under wrappers, and a pipe's input type. */
export function kindOf(schema: Schema): string {
  const def = defOf(unwrap(schema).inner);
  if (def.type === 'pipe') return kindOf(def.in as Schema);
  return def.type;
}

export function objectShape(schema: Schema): Record<string, Schema> | null {
  const def = defOf(unwrap(schema).inner);
  return def.type === 'object' ? (def.shape as Record<string, Schema>) : null;
}

export function isStrict(schema: Schema): boolean {
  const catchall = defOf(unwrap(schema).inner).catchall as Schema | undefined;
  return catchall !== undefined && defOf(catchall).type === 'never';
}

export function arrayElement(schema: Schema): Schema | null {
  const def = defOf(unwrap(schema).inner);
  return def.type === 'array' ? (def.element as Schema) : null;
}

/** Strings that fit most fields of the contract: names, references, addresses, dates, ids. */
const STRINGS = [
  'local',
  'berth-probe',
  'abc',
  'nginx:1.27',
  '10.213.99.0/24',
  '10.213.99.7',
  '2026-01-01T00:00:00Z',
  '3f2b6c1e-8a4d-4c2e-9b1a-0d5e6f7a8b9c',
  'https://registry.example.com',
  'registry.example.com',
  '/tmp',
  '{}',
  'KEY',
  'KEY=value',
  '1',
  'probe-password-0123',
  '123456',
  '0 3 * * *',
  '80/tcp',
  '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  'probe@example.com',
  // A time to come (a silence's end).
  '2099-01-01T00:00:00Z',
  // A swarm join token's shape.
  'SWMTKN-1-abc123-def456',
  'a',
];
const NUMBERS = [1, 0, 8080, 80, 100, 1024, 65_000];

function candidates(schema: Schema, text: boolean, depth: number): unknown[] {
  if (depth > 8) throw new Uncoverable('schema nests deeper than 8 levels');
  const def = defOf(schema);
  const next = (s: Schema) => candidates(s, text, depth + 1);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
      return [...next(def.innerType as Schema), undefined];
    case 'nullable':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return next(def.innerType as Schema);
    case 'pipe':
      return next(def.in as Schema);
    case 'string': {
      const min = (schema as z.ZodString).minLength ?? 1;
      return [...STRINGS, 'a'.repeat(Math.max(min, 1))];
    }
    case 'number': {
      const n = schema as z.ZodNumber;
      const values = [...NUMBERS, n.minValue, n.maxValue].filter(
        (v): v is number => typeof v === 'number' && Number.isFinite(v),
      );
      return text ? values.map(String) : values;
    }
    case 'boolean':
      return text ? ['true', 'false'] : [true, false];
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>);
    case 'literal':
      return def.values as unknown[];
    case 'null':
      return [null];
    case 'unknown':
    case 'any':
      return [{}, 'x'];
    case 'union':
      return (def.options as Schema[]).flatMap((option) => next(option));
    case 'record':
      return [{}];
    case 'array': {
      const element = def.element as Schema;
      const one = sampleOrNull(element, text, depth + 1);
      return one === null ? [[]] : [[], [one.value], [one.value, one.value]];
    }
    case 'object':
      return objectCandidates(schema, text, depth);
    default:
      throw new Uncoverable(`a ${def.type} schema`);
  }
}

function objectCandidates(schema: Schema, text: boolean, depth: number): unknown[] {
  const shape = (defOf(schema).shape ?? {}) as Record<string, Schema>;
  const minimal: Record<string, unknown> = {};
  const full: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const found = sampleOrNull(field, text, depth + 1, true);
    if (found === null) {
      if (!unwrap(field).optional) throw new Uncoverable(`no valid sample for "${key}"`);
      continue;
    }
    if (!unwrap(field).optional) minimal[key] = found.value;
    full[key] = found.value;
  }
  // The full object first: nested fields then have their parents around them. Then the
  // minimal one with each optional field alone, for objects that take exactly one of several
  // (a proxy target: a container, a stack service or a Swarm service).
  const singles = Object.keys(full)
    .filter((key) => !(key in minimal))
    .map((key) => ({ ...minimal, [key]: full[key] }));
  return [full, minimal, ...singles];
}

function sampleOrNull(
  schema: Schema,
  text: boolean,
  depth: number,
  defined = false,
): { value: unknown } | null {
  for (const value of candidates(schema, text, depth)) {
    if (defined && value === undefined) continue;
    if (schema.safeParse(value).success) return { value };
  }
  return null;
}

/** A value the schema accepts; `text` for params and query, whose values are strings. */
export function sample(schema: Schema, text: boolean): unknown {
  const found = sampleOrNull(schema, text, 0);
  if (found === null) throw new Uncoverable('no valid sample value');
  return found.value;
}

export interface Field {
  /** Keys from the part's root, e.g. ["ports", "0", "host"]. */
  path: string[];
  schema: Schema;
  required: boolean;
}

/** Every field of an object schema, and of the objects inside it (first array item too). */
export function fieldsOf(schema: Schema, base: string[] = [], depth = 0): Field[] {
  const shape = objectShape(schema);
  if (!shape || depth > 2) return [];
  return Object.entries(shape).flatMap(([key, field]) => {
    const path = [...base, key];
    const element = arrayElement(field);
    return [
      { path, schema: field, required: !unwrap(field).optional },
      ...fieldsOf(field, path, depth + 1),
      ...(element ? fieldsOf(element, [...path, '0'], depth + 1) : []),
    ];
  });
}
