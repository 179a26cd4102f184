// Which Node.js versions Berth runs on, read from package.json's `engines` field. No
// dependencies: this runs before `npm ci` has installed anything.

function parse(version) {
  const parts = version.replace(/^[v=]/, '').split('.');
  return [0, 1, 2].map((i) => Number.parseInt(parts[i] ?? '0', 10) || 0);
}

function compare(a, b) {
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function test(version, comparator) {
  const match = /^(\^|>=|<=|>|<|=)?\s*v?(\d+(?:\.\d+){0,2})$/.exec(comparator);
  if (!match) throw new Error(`unsupported version range "${comparator}" in package.json engines`);
  const [, op = '=', raw] = match;
  const bound = parse(raw);
  const order = compare(version, bound);
  if (op === '^') return order >= 0 && version[0] === bound[0];
  if (op === '>=') return order >= 0;
  if (op === '>') return order > 0;
  if (op === '<=') return order <= 0;
  if (op === '<') return order < 0;
  return order === 0;
}

/** Whether `version` is in `range` (the `engines` forms: `^`, `>=`, `<`, …, `||`, spaces for and). */
export function satisfies(version, range) {
  const v = parse(version);
  return range
    .split('||')
    .map((set) => set.trim().replace(/(\^|>=|<=|>|<|=)\s+/g, '$1'))
    .some((set) => set.split(/\s+/).every((comparator) => test(v, comparator)));
}

/** The lowest version `range` allows (for saying "too old" rather than "not supported"). */
export function lowest(range) {
  const bounds = range
    .split('||')
    .map((set) => /(?:\^|>=|=)?\s*v?(\d+(?:\.\d+){0,2})/.exec(set.trim())?.[1])
    .filter(Boolean)
    .map(parse)
    .sort(compare);
  return bounds[0] ? bounds[0].join('.') : null;
}

/** One line saying why this Node.js cannot run Berth, or null when it can. */
export function nodeVersionProblem(version, range) {
  if (satisfies(version, range)) return null;
  const min = lowest(range);
  const why = min && compare(parse(version), parse(min)) < 0 ? 'too old' : 'not supported';
  return `berth: Node.js ${version} is ${why}: Berth needs ${range} (package.json "engines"); install a supported Node.js and try again.`;
}
