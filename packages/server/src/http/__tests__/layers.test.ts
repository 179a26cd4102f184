import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const httpDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modulesDir = resolve(httpDir, '../modules');

/** Every source file of http/ (its tests aside: they may set up any module they exercise). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The relative specifiers a file imports or re-exports, static or dynamic. */
function importsOf(source: string): string[] {
  const specifiers = source.matchAll(
    /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm,
  );
  return [...specifiers].map((match) => match[1] ?? '');
}

describe('layers: http/ depends on interfaces of its own, never on modules/', () => {
  it('finds the imports a scan must see', () => {
    const sample = [
      "import type { A } from '../modules/auth/principal.js';",
      "export { B } from '../modules/audit/audit-service.js';",
      "import '../modules/side-effect.js';",
      "const c = await import('../modules/lazy.js');",
    ].join('\n');
    expect(importsOf(sample)).toHaveLength(4);
  });

  it('no file under http/ imports from modules/', () => {
    const files = sourceFiles(httpDir);
    expect(files.length).toBeGreaterThan(5);
    const offending = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter(
          (specifier) => !relative(modulesDir, resolve(dirname(file), specifier)).startsWith('..'),
        )
        .map((specifier) => `${relative(httpDir, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
