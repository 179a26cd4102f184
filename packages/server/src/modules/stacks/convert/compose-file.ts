import { Document, parse, visit } from 'yaml';
import type { ComposeFileService } from './compose-service.js';
import type { ComposeFields, ComposeValue } from './run-draft.js';

/** Compose files built from services: a typed document, emitted by the yaml library. */

export interface NamedService extends ComposeFileService {
  name: string;
}

/**
 * Compose reads `$NAME` and `${NAME}` in every value as a variable of the stack; what the
 * container holds is literal, so each `$` is doubled.
 */
export function escapeInterpolation<T extends ComposeValue>(value: T): T;
export function escapeInterpolation(value: ComposeValue): ComposeValue {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$');
  if (Array.isArray(value)) return value.map((item) => escapeInterpolation(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, escapeInterpolation(item)]),
    );
  }
  return value;
}

/** A service key compose accepts, from a container or image name. */
export function serviceKey(text: string): string {
  const key = text
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63);
  return key === '' ? 'app' : key;
}

/** `lscr.io/linuxserver/plex:latest` → `plex`. */
export function imageServiceKey(image: string): string {
  const path = image.split('@')[0] ?? image;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return serviceKey(last.split(':')[0] ?? last);
}

/** Keys made unique in order: web, web-2, web-3. */
export function uniqueKeys(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  return keys.map((key) => {
    let candidate = key;
    for (let n = 2; seen.has(candidate); n += 1) candidate = `${key}-${n}`;
    seen.add(candidate);
    return candidate;
  });
}

export function composeDocument(services: readonly NamedService[]): ComposeFields {
  const networks: ComposeFields = {};
  const volumes: ComposeFields = {};
  for (const s of services) {
    Object.assign(networks, s.networks);
    Object.assign(volumes, s.volumes);
  }
  return escapeInterpolation({
    services: Object.fromEntries(services.map((s) => [s.name, s.service])),
    ...(Object.keys(networks).length ? { networks } : {}),
    ...(Object.keys(volumes).length ? { volumes } : {}),
  });
}

/** Text a YAML 1.2 reader (compose's) would read as something else than this string. */
function readsAsOther(text: string): boolean {
  try {
    return parse(text, { logLevel: 'silent' }) !== text;
  } catch {
    return true;
  }
}

/**
 * The document as YAML. Strings are quoted when a YAML 1.1 reader (PyYAML's docker-compose:
 * `yes`, `on`, `12:30`) or a 1.2 one (compose's Go reader: `0o17`) would take them for
 * booleans or numbers, so every value reads back as the string it is.
 */
export function composeYaml(document: ComposeFields): string {
  // No anchors or aliases: a reader sees every value where it applies.
  const doc = new Document(document, { version: '1.1', aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !node.type && readsAsOther(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}
