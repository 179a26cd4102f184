/** The bad values the contract suite puts in each kind of field. */

/** A field left out of the request. */
export const MISSING = Symbol('missing');

/** JSON text written into a body as it is: numbers JSON.stringify cannot say, deep nesting. */
export class Raw {
  constructor(readonly text: string) {}
}

/** `base` with the value at `path` replaced (or removed, for MISSING). */
export function withValue(base: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [key = '', ...rest] = path;
  const copy: Record<string, unknown> = Array.isArray(base)
    ? { ...base }
    : { ...((base ?? {}) as Record<string, unknown>) };
  const next = withValue(copy[key], rest, value);
  if (next === MISSING) delete copy[key];
  else copy[key] = next;
  return Array.isArray(base) ? Object.values(copy) : copy;
}

/** JSON text of a body, with Raw values written as they are (1e400, deep nesting, __proto__). */
export function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `\u0001raw${raws.length - 1}\u0001`;
    }
    return v;
  });
  return text.replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)] ?? '');
}

type Labelled = [label: string, value: unknown][];

/** Text that would do harm if it reached a shell, a path, a header, SQL or a decoder. */
export function textPayloads(probeFile: string, part: 'params' | 'query' | 'body'): Labelled {
  const payloads: Labelled = [
    ['empty', ''],
    ['blank', '   '],
    ['huge', 'x'.repeat(70_000)],
    ['NUL byte', 'a\u0000b'],
    ['traversal', '../../../../etc/passwd'],
    ['encoded traversal', '..%2F..%2Fetc%2Fpasswd'],
    ['shell $()', `$(touch ${probeFile})`],
    ['shell backticks', `\`touch ${probeFile}\``],
    ['shell ;', ';rm -rf /'],
    ['shell pipe', `| touch ${probeFile}`],
    ['shell &&', `&& touch ${probeFile}`],
    ['header injection', 'a\r\nX-Injected: 1'],
    ['look-alike letters', 'аdmin'],
    ['bidi override', '\u202etxt.exe'],
    ['emoji', '📦🐳'],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['SQL', "' OR 1=1 --"],
    ['env expansion', '${PATH}'],
  ];
  // JSON can carry lone surrogates; a URL cannot (the invalid-UTF-8 case stands for them).
  if (part === 'body')
    payloads.push(['lone surrogate', '\ud800'], ['lone low surrogate', 'x\udfffy']);
  if (part === 'params') return payloads.filter(([label]) => label !== 'empty');
  return payloads;
}

/** Keys no route has, for parts that refuse unknown keys. */
export function UNKNOWN_KEYS(probeFile: string): string[] {
  return [
    'berthUnknownField',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    `$(touch ${probeFile})`,
    '../../etc/passwd',
    'a[b]',
    'ключ',
    'k'.repeat(1000),
    'isAdmin',
    'role',
    '__defineGetter__',
    'valueOf',
    ';rm -rf /',
    '`id`',
    'a.b',
    'a[]',
    '📦',
    'nul\u0000key',
  ];
}

const OVERFLOWS: Labelled = [
  ['overflowing', new Raw('1e400')],
  ['negative overflow', new Raw('-1e400')],
  ['past the safe integers', new Raw('9007199254740993')],
];

/** Values of the wrong type, out of range or overflowing, for a field of this kind. */
export function badValues(kind: string, text: boolean, element: unknown): Labelled {
  if (text) {
    const numeric: Labelled = [
      ['not a number', 'abc'],
      ['negative', '-1'],
      ['fraction', '1.5'],
      ['overflowing', '99999999999999999999'],
      ['exponent overflow', '1e400'],
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['hexadecimal', '0x10'],
    ];
    if (kind === 'number') return numeric;
    if (kind === 'enum' || kind === 'literal' || kind === 'boolean')
      return [
        ['not a choice', 'berth-not-a-choice'],
        ['yes', 'yes'],
        ['one', '1'],
        ...numeric.slice(0, 2),
      ];
    return [['overflowing number', '99999999999999999999']];
  }
  switch (kind) {
    case 'string':
      return [
        ['a number', 12345],
        ['a boolean', true],
        ['null', null],
        ['an object', {}],
        ['an array', ['x']],
      ];
    case 'number':
      return [
        ['a string', '12'],
        ['a boolean', true],
        ['null', null],
        ['an object', {}],
        ['negative', -1],
        ['fraction', 1.5],
        ['negative zero', new Raw('-0')],
        ...OVERFLOWS,
      ];
    case 'boolean':
      return [
        ['a string', 'true'],
        ['a number', 1],
        ['null', null],
        ['an object', {}],
      ];
    case 'enum':
    case 'literal':
      return [
        ['not a choice', 'berth-not-a-choice'],
        ['a number', 42],
        ['null', null],
      ];
    case 'array':
      return [
        ['a string', 'x'],
        ['an object', {}],
        ['null', null],
        ['null items', [null]],
        ['object items', [{}]],
        ['10 001 items', Array.from({ length: 10_001 }, () => element)],
      ];
    case 'object':
      return [
        ['a string', 'x'],
        ['an array', []],
        ['null', null],
        ['a __proto__ key inside', new Raw('{"__proto__":{"polluted":true}}')],
        ['deep nesting', new Raw(`${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`)],
      ];
    case 'record':
      return [
        ['a string', 'x'],
        ['an array', ['x']],
        ['null', null],
        ['a number value', { KEY: 12345 }],
        ['a shell key', { '$(touch /tmp/berth-probe)': 'x' }],
      ];
    default:
      return [];
  }
}

/** Paths a file route must never serve from outside its folder. */
export const STATIC_PATHS = [
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '%2e%2e%2f%2e%2e%2fpackage.json',
  '..%5c..%5c..%5cwindows%5cwin.ini',
  '....//....//etc/passwd',
  '..%252f..%252fetc%252fpasswd',
  '%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  'index.html%00.js',
  'no-such-file.js',
  '%00',
  '.env',
  '.git/config',
  'node_modules/.package-lock.json',
  '%2fetc%2fpasswd',
  'x/..%2f..%2f..%2f..%2fetc%2fshadow',
  '%E2%80%AEtxt.exe',
  '$(touch%20%2Ftmp%2Fberth-probe)',
  '%3Bls',
  '..%00/etc/passwd',
  '~root/.ssh/id_rsa',
];
