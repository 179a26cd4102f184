import type { Json } from './yaml-load.js';
import { keyPath, type Path } from './paths.js';

/** A variable's value, undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/**
 * Compose's variable substitution on one string: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`; the default,
 * error and alternative texts are themselves substituted, so defaults nest.
 */
export function substitute(text: string, lookup: Lookup): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch !== '$') {
      out += ch;
      i += 1;
      continue;
    }
    const next = text.charAt(i + 1);
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0)
        throw new InterpolationError(`invalid interpolation format in "${text}": no closing }`);
      out += braced(text.slice(i + 2, end), lookup, text);
      i = end + 1;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1));
    if (!name) {
      throw new InterpolationError(
        `invalid interpolation format in "${text}": a $ must start a variable; write $$ for a literal $`,
      );
    }
    out += lookup(name[0]) ?? '';
    i += 1 + name[0].length;
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (ch === '$' && text.charAt(i + 1) === '$') i += 1;
    else if (ch === '$' && text.charAt(i + 1) === '{') {
      depth += 1;
      i += 1;
    } else if (ch === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function braced(inner: string, lookup: Lookup, whole: string): string {
  const name = NAME.exec(inner)?.[0];
  if (!name) throw new InterpolationError(`invalid interpolation format in "${whole}"`);
  const rest = inner.slice(name.length);
  const value = lookup(name);
  if (rest === '') return value ?? '';
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (!op) throw new InterpolationError(`invalid interpolation format in "${whole}"`);
  const arg = (): string => substitute(rest.slice(op.length), lookup);
  const unsetOrEmpty = value === undefined || value === '';
  switch (op) {
    case ':-':
      return unsetOrEmpty ? arg() : value;
    case '-':
      return value ?? arg();
    case ':+':
      return unsetOrEmpty ? '' : arg();
    case '+':
      return value === undefined ? '' : arg();
    case ':?':
      if (unsetOrEmpty)
        throw new InterpolationError(requiredMessage(name, arg(), 'is not set or empty'));
      return value;
    default:
      if (value === undefined)
        throw new InterpolationError(requiredMessage(name, arg(), 'is not set'));
      return value;
  }
}

function requiredMessage(name: string, text: string, fallback: string): string {
  return text === ''
    ? `required variable ${name} ${fallback}`
    : `required variable ${name} is missing a value: ${text}`;
}

export interface InterpolationProblem {
  path: string;
  message: string;
}

/** Every string value of a document substituted (keys are left as written, as compose does). */
export function interpolateTree(
  value: Json,
  lookup: Lookup,
  problems: InterpolationProblem[],
  path: Path = [],
): Json {
  if (typeof value === 'string') {
    try {
      return substitute(value, lookup);
    } catch (error) {
      if (!(error instanceof InterpolationError)) throw error;
      problems.push({ path: keyPath(path), message: error.message });
      return value;
    }
  }
  if (Array.isArray(value))
    return value.map((item, i) => interpolateTree(item, lookup, problems, [...path, i]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = interpolateTree(v, lookup, problems, [...path, k]);
    return out;
  }
  return value;
}
