import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * The web app's performance budget: the JavaScript a first visit must load (the entry and
 * every chunk it imports statically) stays within 250 KB gzip. Pages and the terminal load on
 * demand and do not count. Sizes, not times: this holds on any machine.
 */
const assets = join(fileURLToPath(new URL('..', import.meta.url)), 'packages', 'web', 'dist');
const BUDGET = 250 * 1024;

/** The entry and, recursively, the chunks it imports with a static `import … from "./x.js"`. */
function initialChunks(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(assets, 'assets', file), 'utf8');
    for (const match of code.matchAll(
      /(?:^|[;\n])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g,
    )) {
      if (match[1]) visit(match[1]);
    }
  };
  visit(entry);
  return [...seen];
}

describe('the web bundle', () => {
  it('loads at most 250 KB gzip of JavaScript on a first visit', () => {
    const html = readFileSync(join(assets, 'index.html'), 'utf8');
    const entry = /<script type="module"[^>]*src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const files = initialChunks(entry ?? '');
    const gzip = files.reduce(
      (sum, f) => sum + gzipSync(readFileSync(join(assets, 'assets', f))).length,
      0,
    );
    expect(gzip, `initial JavaScript: ${files.join(', ')}`).toBeLessThanOrEqual(BUDGET);
    // The terminal (xterm.js) is the heaviest part and must stay out of the first load.
    expect(files.some((f) => f.startsWith('TerminalPanel'))).toBe(false);
  });
});
