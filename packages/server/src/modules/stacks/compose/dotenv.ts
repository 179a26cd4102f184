import { InterpolationError, substitute, type Lookup } from './interpolate.js';

export class DotenvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  '"': '"',
  $: '$$',
};

/**
 * A `.env` or `env_file` read by compose's dotenv rules: `KEY=value`, an optional `export `,
 * `#` comments (inline ones after a space in unquoted values), single quotes literal, double
 * quotes with `\n \t \" \\` escapes, both may span lines; unquoted and double-quoted values have
 * `${VAR}` substituted from the file's earlier keys, then `outer`. A bare `KEY` takes its value
 * from `outer` and is left out when that has none.
 */
export function parseDotenv(text: string, outer: Lookup = () => undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  const lookup: Lookup = (name) => (Object.hasOwn(vars, name) ? vars[name] : outer(name));
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let n = 0; n < lines.length; n += 1) {
    const raw = lines[n] ?? '';
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const line = trimmed.replace(/^export\s+/, '');
    const eq = line.indexOf('=');
    if (eq < 0) {
      if (!/^[\w.-]+$/.test(line))
        throw new DotenvError(`line ${n + 1}: expected KEY=value`, n + 1);
      const inherited = outer(line);
      if (inherited !== undefined) vars[line] = inherited;
      continue;
    }
    const key = line.slice(0, eq).trim();
    if (!/^[\w.-]+$/.test(key))
      throw new DotenvError(`line ${n + 1}: "${key}" is not a variable name`, n + 1);
    let rest = line.slice(eq + 1).replace(/^[ \t]+/, '');
    const quote = rest.charAt(0);
    if (quote === "'" || quote === '"') {
      // A quoted value may go on over the following lines up to its closing quote.
      let body = rest.slice(1);
      let close = closingQuote(body, quote);
      const start = n;
      while (close < 0 && n + 1 < lines.length) {
        n += 1;
        body += `\n${lines[n] ?? ''}`;
        close = closingQuote(body, quote);
      }
      if (close < 0) throw new DotenvError(`line ${start + 1}: unclosed ${quote} quote`, start + 1);
      const content = body.slice(0, close);
      vars[key] = quote === "'" ? content : expand(unescape(content), lookup, start + 1);
      continue;
    }
    const comment = rest.search(/\s#/);
    if (comment >= 0) rest = rest.slice(0, comment);
    vars[key] = expand(rest.trim(), lookup, n + 1);
  }
  return vars;
}

function closingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i += 1) {
    if (quote === '"' && body.charAt(i) === '\\') i += 1;
    else if (body.charAt(i) === quote) return i;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (whole, ch: string) => ESCAPES[ch] ?? whole);
}

function expand(value: string, lookup: Lookup, line: number): string {
  try {
    return substitute(value, lookup);
  } catch (error) {
    if (error instanceof InterpolationError)
      throw new DotenvError(`line ${line}: ${error.message}`, line);
    throw error;
  }
}
