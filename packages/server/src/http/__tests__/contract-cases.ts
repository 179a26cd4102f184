import type { RouteEntry } from '../../app.js';
import { textIssue } from '../input-guards.js';
import {
  type Field,
  type Schema,
  Uncoverable,
  arrayElement,
  fieldsOf,
  isStrict,
  kindOf,
  sample,
} from './contract-samples.js';
import {
  badValues,
  jsonText,
  STATIC_PATHS,
  textPayloads,
  UNKNOWN_KEYS,
  withValue,
  MISSING,
  Raw,
} from './payloads.js';

/**
 * Bad requests generated from each route's contract: the valid baseline with one thing wrong,
 * and the answer the contract promises (predicted with the route's own zod schema).
 */

export type Expectation =
  /** A 4xx in the error shape, naming these fields. */
  | { kind: 'rejected'; status: number; code: string; fields: string[] }
  /** A file route: never a 5xx, never a file from outside its folder (the web app's page is fine). */
  | { kind: 'not-served' }
  /** The contract takes the value (read routes only): any answer but a 5xx. */
  | { kind: 'tolerated' };

export interface BadCase {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  expect: Expectation;
}

export interface RouteCases {
  route: string;
  cases: BadCase[];
  /** Why the generator cannot cover this route; empty when it can. */
  uncovered: string[];
}

export interface GeneratorOptions {
  /** A value for a path parameter that names a real object (`containers`, `id`) if any. */
  knownParam(url: string, name: string): string | undefined;
  /** The file a shell payload would create if anything ran it. */
  probeFile: string;
  /** Fewer refused cases than this for a route with input is a route the suite cannot cover. */
  minimumCases: number;
}

type Part = 'params' | 'query' | 'body';
const PART_SCHEMA: Record<Part, 'params' | 'querystring' | 'body'> = {
  params: 'params',
  query: 'querystring',
  body: 'body',
};

interface Issue {
  code: string;
  path: PropertyKey[];
  keys?: string[];
}

/** The fields the server names for these zod issues (as error-handler.ts words them). */
function issueFields(part: Part, issues: Issue[]): string[] {
  return issues.flatMap((issue) => {
    const path = [part, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys' && issue.keys)
      return issue.keys.map((key) => [...path, key].join('.'));
    return [path.join('.')];
  });
}

function queryText(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of [value].flat())
      search.append(key, typeof item === 'string' ? item : JSON.stringify(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

class RouteGenerator {
  readonly cases: BadCase[] = [];
  private readonly base: Record<Part, unknown> = { params: {}, query: {}, body: undefined };
  private readonly schemas: Partial<Record<Part, Schema>> = {};

  constructor(
    private readonly route: RouteEntry,
    private readonly options: GeneratorOptions,
  ) {
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = route.schema[PART_SCHEMA[part]] as Schema | undefined;
      if (!schema) continue;
      if (typeof (schema as { safeParse?: unknown }).safeParse !== 'function')
        throw new Uncoverable(`its ${part} schema is not a zod schema`);
      this.schemas[part] = schema;
    }
    const names = pathParams(route.url);
    if (names.length > 0 && !this.schemas.params)
      throw new Uncoverable('it has path parameters but no params schema');
    const params: Record<string, unknown> = {};
    for (const name of names)
      params[name] = this.options.knownParam(route.url, name) ?? this.sampleParam(name);
    this.base.params = params;
    if (this.schemas.params && !this.schemas.params.safeParse(params).success)
      throw new Uncoverable(`no valid params: ${JSON.stringify(params)}`);
    if (this.schemas.query) this.base.query = sample(this.schemas.query, true);
    if (this.schemas.body) this.base.body = sample(this.schemas.body, false);
  }

  private sampleParam(name: string): unknown {
    const shape = this.schemas.params ? fieldsOf(this.schemas.params) : [];
    const field = shape.find((f) => f.path[0] === name);
    if (!field) throw new Uncoverable(`no schema for the path parameter "${name}"`);
    return sample(field.schema, true);
  }

  private request(
    parts: Partial<Record<Part, unknown>>,
    raw: { path?: string; query?: string; body?: string; contentType?: string } = {},
  ): Pick<BadCase, 'url' | 'headers' | 'payload'> {
    const params = (parts.params ?? this.base.params) as Record<string, unknown>;
    const path =
      raw.path ?? fillPath(this.route.url, (name) => encodeURIComponent(String(params[name])));
    const query =
      raw.query ?? queryText((parts.query ?? this.base.query) as Record<string, unknown>);
    const withBody = this.route.method !== 'GET' && this.route.method !== 'HEAD';
    const body = 'body' in parts ? parts.body : this.base.body;
    const payload = raw.body ?? (withBody && body !== undefined ? jsonText(body) : undefined);
    const headers: Record<string, string> = {};
    if (payload !== undefined) headers['content-type'] = raw.contentType ?? 'application/json';
    return { url: `${path}${query}`, headers, payload };
  }

  private add(
    name: string,
    request: Pick<BadCase, 'url' | 'headers' | 'payload'>,
    expect: Expectation,
  ): void {
    this.cases.push({ name, method: this.route.method, ...request, expect });
  }

  /** `value` for the part: what the contract (and the input guards) answer to it. */
  private judge(part: Part, sent: unknown): Expectation | null {
    let value = sent;
    if (part === 'body') {
      const text = jsonText(sent);
      // Fastify's JSON parser refuses prototype keys outright (secure-json-parse).
      if (/"__proto__"\s*:|"constructor"\s*:\s*\{\s*"prototype"\s*:/.test(text))
        return { kind: 'rejected', status: 400, code: 'invalid_json', fields: ['body'] };
      value = JSON.parse(text) as unknown;
    }
    const unfit = textIssue(value, [part]);
    if (unfit)
      return { kind: 'rejected', status: 400, code: 'validation_failed', fields: [unfit.field] };
    const schema = this.schemas[part];
    if (!schema) return null;
    const parsed = schema.safeParse(value);
    if (parsed.success) return this.route.method === 'GET' ? { kind: 'tolerated' } : null;
    const fields = issueFields(part, parsed.error.issues);
    return { kind: 'rejected', status: 400, code: 'validation_failed', fields };
  }

  private mutate(part: Part, path: string[], label: string, value: unknown): void {
    const changed = withValue(this.base[part], path, value);
    const expect = this.judge(part, changed);
    if (!expect) return;
    const at = [part, ...path].join('.');
    if (
      part === 'params' &&
      path[0] !== '*' &&
      typeof value === 'string' &&
      encodeURIComponent(value).length > 100
    ) {
      // The router refuses over-long path parameters before any schema runs (not a wildcard).
      const request = this.request({ params: changed });
      this.add(`${at}: ${label}`, request, {
        kind: 'rejected',
        status: 414,
        code: 'uri_too_long',
        fields: ['params'],
      });
      return;
    }
    // Refused only for other fields (the value is fine here): not a case of this field.
    const ownField = (f: string) => f === at || at.startsWith(`${f}.`) || f.startsWith(`${at}.`);
    if (expect.kind === 'rejected' && !expect.fields.some(ownField)) return;
    this.add(`${at}: ${label}`, this.request({ [part]: changed }), expect);
  }

  generate(): void {
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = this.schemas[part];
      if (!schema) continue;
      if (part === 'body' && this.route.method === 'GET') continue;
      const text = part !== 'body';
      for (const field of fieldsOf(schema)) this.fieldCases(part, field, text);
      if (part === 'query' || (part === 'body' && isStrict(schema)))
        for (const key of UNKNOWN_KEYS(this.options.probeFile))
          this.mutate(
            part,
            [key],
            `unknown key ${JSON.stringify(key).slice(0, 40)}`,
            part === 'query' ? '1' : 1,
          );
      if (part === 'body') this.bodyCases(schema);
    }
    if (this.route.config.bodyType !== undefined) this.rawBodyCases(this.route.config.bodyType);
    this.urlCases();
  }

  private fieldCases(part: Part, field: Field, text: boolean): void {
    if (field.required && part !== 'params') this.mutate(part, field.path, 'missing', MISSING);
    const kind = kindOf(field.schema);
    const element = arrayElement(field.schema);
    for (const [label, value] of badValues(kind, text, element ? sampleOr(element, text) : 'x'))
      this.mutate(part, field.path, label, value);
    if (['string', 'enum', 'literal'].includes(kind))
      for (const [label, value] of textPayloads(this.options.probeFile, part))
        this.mutate(part, field.path, label, value);
    // A path's wildcard takes any text, commas too: a "repeated" value is one path there.
    if (text && kind !== 'array' && !(part === 'params' && field.path[0] === '*'))
      this.mutate(part, field.path, 'repeated', ['1', '2']);
  }

  private bodyCases(schema: Schema): void {
    const json = (name: string, body: string, expect: Expectation, contentType?: string) =>
      this.add(`body: ${name}`, this.request({}, { body, contentType }), expect);
    const invalid: Expectation = {
      kind: 'rejected',
      status: 400,
      code: 'invalid_json',
      fields: ['body'],
    };
    json('invalid JSON', '{"a":', invalid);
    json('empty with a JSON type', '', invalid);
    json('__proto__ key', '{"__proto__":{"isAdmin":true}}', invalid);
    json('constructor.prototype key', '{"constructor":{"prototype":{"isAdmin":true}}}', invalid);
    json(
      'XML',
      '<a/>',
      {
        kind: 'rejected',
        status: 415,
        code: 'unsupported_media_type',
        fields: ['headers.content-type'],
      },
      'application/xml',
    );
    json(
      'form data',
      'a=1',
      {
        kind: 'rejected',
        status: 415,
        code: 'unsupported_media_type',
        fields: ['headers.content-type'],
      },
      'application/x-www-form-urlencoded',
    );
    json('over the size limit', jsonText({ big: 'x'.repeat(1024 * 1024 + 1) }), {
      kind: 'rejected',
      status: 413,
      code: 'payload_too_large',
      fields: ['body'],
    });
    for (const [label, value] of [
      ['an array', [1, 2, 3]],
      ['a string', 'x'],
      ['a number', 42],
      ['null', null],
      ['deep nesting', new Raw(`${'['.repeat(5000)}${']'.repeat(5000)}`)],
    ] as const)
      this.mutate('body', [], `the body is ${label}`, value);
    void schema;
  }

  private rawBodyCases(bodyType: string): void {
    const refused: Expectation = {
      kind: 'rejected',
      status: 415,
      code: 'unsupported_media_type',
      fields: ['headers.content-type'],
    };
    for (const [type, body] of [
      ['application/json', '{"a":1}'],
      ['text/plain', `$(touch ${this.options.probeFile})`],
      ['application/xml', '<a/>'],
    ] as const)
      this.add(
        `body: ${type} instead of ${bodyType}`,
        this.request({}, { body, contentType: type }),
        refused,
      );
  }

  private urlCases(): void {
    const badUrl: Expectation = { kind: 'rejected', status: 400, code: 'bad_url', fields: ['url'] };
    for (const name of pathParams(this.route.url)) {
      const path = fillPath(this.route.url, (n) =>
        n === name
          ? '%ED%A0%80'
          : encodeURIComponent(String((this.base.params as Record<string, unknown>)[n])),
      );
      this.add(`params.${name}: invalid UTF-8`, this.request({}, { path }), badUrl);
    }
  }
}

/** The path's parameters: `:name`s, and `*` for a trailing wildcard. */
function pathParams(url: string): string[] {
  const names = [...url.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
  return url.endsWith('/*') ? [...names, '*'] : names;
}

function fillPath(url: string, value: (name: string) => string): string {
  const filled = url.replace(/:(\w+)/g, (_m, name: string) => value(name));
  return url.endsWith('/*') ? `${filled.slice(0, -1)}${value('*')}` : filled;
}

function sampleOr(schema: Schema, text: boolean): unknown {
  try {
    return sample(schema, text);
  } catch {
    return 'x';
  }
}

function isStaticFile(route: RouteEntry): boolean {
  return !route.url.startsWith('/api/') || route.url.startsWith('/api/docs');
}

function staticCases(route: RouteEntry): BadCase[] {
  if (!route.url.includes('*')) return [];
  return STATIC_PATHS.map((path) => ({
    name: `* = ${path}`,
    method: route.method,
    url: route.url.replace('*', path),
    headers: {},
    expect: { kind: 'not-served' },
  }));
}

/**
 * Keeps a route's run short without losing reach: every field is varied at least once, every
 * kind of bad value is tried at least once, every value the contract takes is kept, so is text
 * only the guards refuse, and the
 * refused rest is sampled evenly up to `size` refused cases.
 */
/** Text no schema refuses and only the input guards do: sent to every field, always. */
const ALWAYS_SENT = new Set(['NUL byte', 'lone surrogate', 'lone low surrogate']);

function selection(cases: BadCase[], size: number): BadCase[] {
  const chosen = new Set<BadCase>();
  const fields = new Set<string>();
  const kinds = new Set<string>();
  for (const c of cases) {
    const [at = '', label = ''] = c.name.split(': ');
    const kind = label.replace(/ ".*$/, '');
    // An unknown key is a field of its own name: count it as its part.
    const field = kind === 'unknown key' ? (at.split('.')[0] ?? at) : at;
    const fresh = !fields.has(field) || !kinds.has(kind);
    if (fresh || c.expect.kind === 'tolerated' || ALWAYS_SENT.has(kind)) chosen.add(c);
    fields.add(field);
    kinds.add(kind);
  }
  const rest = cases.filter((c) => !chosen.has(c) && c.expect.kind === 'rejected');
  const refused = [...chosen].filter((c) => c.expect.kind === 'rejected').length;
  const room = Math.max(0, size - refused);
  const stride = rest.length / Math.max(room, 1);
  for (let i = 0; i < room && i * stride < rest.length; i++) {
    const pick = rest[Math.floor(i * stride)];
    if (pick) chosen.add(pick);
  }
  return cases.filter((c) => chosen.has(c));
}

/** The cases of one route, or why it cannot have them. */
export function casesFor(route: RouteEntry, options: GeneratorOptions): RouteCases {
  const name = `${route.method} ${route.url}`;
  if (isStaticFile(route)) return { route: name, cases: staticCases(route), uncovered: [] };
  try {
    const generator = new RouteGenerator(route, options);
    generator.generate();
    const cases = selection(generator.cases, options.minimumCases * 2);
    const refused = cases.filter((c) => c.expect.kind === 'rejected').length;
    const uncovered =
      refused < options.minimumCases
        ? [`only ${refused} cases the contract refuses (want ${options.minimumCases})`]
        : [];
    return { route: name, cases, uncovered };
  } catch (err) {
    if (!(err instanceof Uncoverable)) throw err;
    return { route: name, cases: [], uncovered: [err.message] };
  }
}
