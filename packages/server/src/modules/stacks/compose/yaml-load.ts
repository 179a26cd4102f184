import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { ComposeIssue } from '@berth/contract';
import { keyPath, type Path } from './paths.js';
import {
  asText,
  type ComposeDocument,
  type Json,
  type JsonMap,
  type Position,
} from './document.js';

export type { ComposeDocument, Json, JsonMap, Position } from './document.js';
export { asText, omit } from './document.js';

export type LoadedYaml = { ok: true; doc: ComposeDocument } | { ok: false; issues: ComposeIssue[] };

const MAX_ALIAS_EXPANSION = 10_000;

/** YAML 1.2 text → a compose document; anchors, aliases and merge keys (`<<`) resolved. */
export function loadYaml(file: string, text: string): LoadedYaml {
  const lineCounter = new LineCounter();
  const yamlDoc = parseDocument(text, {
    version: '1.2',
    merge: true,
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
  });
  if (yamlDoc.errors.length > 0) {
    return {
      ok: false,
      issues: yamlDoc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          path: '',
          message: `YAML syntax error: ${firstLine(error.message)}`,
        };
      }),
    };
  }
  const reader = new TreeReader(yamlDoc, lineCounter);
  const root = reader.read(yamlDoc.contents, []);
  if (root === null) {
    return {
      ok: true,
      doc: {
        file,
        value: {},
        positions: reader.positions,
        resets: reader.resets,
        overrides: reader.overrides,
      },
    };
  }
  if (typeof root !== 'object' || Array.isArray(root)) {
    return {
      ok: false,
      issues: [{ file, line: 1, column: 1, path: '', message: 'a compose file must be a mapping' }],
    };
  }
  if (reader.tooManyAliases) {
    return {
      ok: false,
      issues: [{ file, line: 1, column: 1, path: '', message: 'too many alias expansions' }],
    };
  }
  return {
    ok: true,
    doc: {
      file,
      value: root,
      positions: reader.positions,
      resets: reader.resets,
      overrides: reader.overrides,
    },
  };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

class TreeReader {
  readonly positions = new Map<string, Position>();
  readonly resets = new Set<string>();
  readonly overrides = new Set<string>();
  tooManyAliases = false;
  private expansions = 0;

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  read(node: YamlNode | null | undefined, path: Path, viaAlias = false): Json {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      // The alias is written here; what it expands to was written at its anchor.
      const at = keyPath(path);
      if (!viaAlias && node.range && !this.positions.has(at)) {
        const pos = this.lines.linePos(node.range[0]);
        this.positions.set(at, { line: pos.line, column: pos.col });
      }
      this.expansions += 1;
      if (this.expansions > MAX_ALIAS_EXPANSION) {
        this.tooManyAliases = true;
        return null;
      }
      return this.read(node.resolve(this.doc), path, true);
    }
    const key = keyPath(path);
    if (!viaAlias && node.range && !this.positions.has(key)) {
      const pos = this.lines.linePos(node.range[0]);
      this.positions.set(key, { line: pos.line, column: pos.col });
    }
    if (!viaAlias) {
      if (node.tag === '!reset') this.resets.add(key);
      if (node.tag === '!override') this.overrides.add(key);
    }
    if (isScalar(node)) {
      // Compose's YAML reads a plain 0440 as octal (as YAML 1.1 did); file modes are written so.
      if (
        node.type === 'PLAIN' &&
        typeof node.source === 'string' &&
        /^0[0-7]+$/.test(node.source)
      ) {
        return Number.parseInt(node.source, 8);
      }
      return scalarValue(node.value);
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => this.read(item as YamlNode, [...path, i], viaAlias));
    }
    if (isMap(node)) {
      const out: JsonMap = {};
      const merged: JsonMap[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
          merged.push(...this.mergeSources(pair.value as YamlNode, path));
          continue;
        }
        const name = isScalar(keyNode)
          ? asText(scalarValue(keyNode.value))
          : JSON.stringify(keyNode);
        if (!viaAlias && keyNode?.range) {
          const pos = this.lines.linePos(keyNode.range[0]);
          this.positions.set(keyPath([...path, name]), { line: pos.line, column: pos.col });
        }
        out[name] = this.read(pair.value as YamlNode, [...path, name], viaAlias);
      }
      // Explicit keys win over merged ones; of several merge sources the first wins.
      for (const source of merged) {
        for (const [k, v] of Object.entries(source)) if (!(k in out)) out[k] = v;
      }
      return out;
    }
    return null;
  }

  private mergeSources(node: YamlNode | null, path: Path): JsonMap[] {
    const values = isSeq(node)
      ? node.items.map((item) => this.read(item as YamlNode, path, true))
      : [this.read(node, path, true)];
    return values.filter(
      (v): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v),
    );
  }
}

function scalarValue(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}
