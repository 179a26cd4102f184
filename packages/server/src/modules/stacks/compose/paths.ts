import type { ComposeIssue } from '@berth/contract';
import type { ComposeDocument, Position } from './document.js';

/** A place in a compose document: keys and sequence indexes from the root. */
export type Path = readonly (string | number)[];

/** `['services', 'web', 'ports', 1]` → `services.web.ports[1]`, the form issues carry. */
export function keyPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** Where a path was written: the nearest written ancestor when the path itself was not. */
export function locate(doc: ComposeDocument | undefined, path: string): Position | null {
  if (!doc) return null;
  let key = path;
  for (;;) {
    const pos = doc.positions.get(key);
    if (pos) return pos;
    if (key === '') return null;
    const cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
    key = cut < 0 ? '' : key.slice(0, cut);
  }
}

/** An issue at a path of a document. */
export function issueAt(
  doc: ComposeDocument | undefined,
  file: string,
  path: string,
  message: string,
): ComposeIssue {
  const pos = locate(doc, path);
  return { file, line: pos?.line ?? null, column: pos?.column ?? null, path, message };
}

/**
 * An issue about the merged project: it names the last file (overrides come later) that wrote
 * the path, or the nearest ancestor of it.
 */
export function issueInDocs(
  docs: readonly ComposeDocument[],
  path: string,
  message: string,
): ComposeIssue {
  for (let key = path; ;) {
    for (let i = docs.length - 1; i >= 0; i -= 1) {
      const doc = docs[i];
      const pos = doc?.positions.get(key);
      if (doc && pos) return { file: doc.file, line: pos.line, column: pos.column, path, message };
    }
    if (key === '') break;
    const cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
    key = cut < 0 ? '' : key.slice(0, cut);
  }
  return { file: docs[0]?.file ?? '', line: null, column: null, path, message };
}
