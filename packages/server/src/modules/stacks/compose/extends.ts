import * as path from 'node:path';
import type { Lookup } from './interpolate.js';
import { isMap, mergeService } from './merge.js';
import { issueAt } from './paths.js';
import { asText, omit, type ComposeDocument, type JsonMap } from './yaml-load.js';
import { readComposeFile, relativeName, tagAtOf, type FileContext } from './compose-files.js';

interface Resolver {
  ctx: FileContext;
  lookup: Lookup;
  /** Other files `extends` read, by absolute path (null: could not be read). */
  others: Map<string, ComposeDocument | null>;
  done: Map<string, JsonMap | null>;
}

/**
 * `extends` resolved for every service of a file: the base service (of the same file, or of
 * another file whose relative paths are taken from that file's folder) under the service, by
 * the same rules as an override file. Services that could not be resolved are left out, with
 * issues recorded.
 */
export async function resolveExtends(
  ctx: FileContext,
  doc: ComposeDocument,
  lookup: Lookup,
): Promise<JsonMap> {
  const resolver: Resolver = { ctx, lookup, others: new Map(), done: new Map() };
  const services = isMap(doc.value.services) ? doc.value.services : {};
  const out: JsonMap = {};
  for (const name of Object.keys(services)) {
    const service = await resolveService(resolver, doc, name, []);
    if (service) out[name] = service;
  }
  return out;
}

async function resolveService(
  r: Resolver,
  doc: ComposeDocument,
  name: string,
  chain: string[],
): Promise<JsonMap | null> {
  const id = `${doc.file}#${name}`;
  const memo = r.done.get(id);
  if (memo !== undefined) return memo;
  const services = isMap(doc.value.services) ? doc.value.services : {};
  const service = services[name];
  if (!isMap(service)) return null;
  const ext = service.extends;
  if (ext === undefined) {
    r.done.set(id, service);
    return service;
  }
  const at = `services.${name}.extends`;
  if (chain.includes(id)) {
    r.ctx.issues.push(
      issueAt(doc, doc.file, at, `extends makes a cycle: ${[...chain, id].join(' → ')}`),
    );
    for (const link of chain) r.done.set(link, null);
    return null;
  }
  const baseName = typeof ext === 'string' ? ext : isMap(ext) ? asText(ext.service) : '';
  const file = isMap(ext) && typeof ext.file === 'string' ? ext.file : undefined;
  let baseDoc: ComposeDocument | null = doc;
  if (file !== undefined) {
    if (!r.others.has(file)) {
      r.others.set(file, await readComposeFile(r.ctx, file, path.dirname(file), r.lookup));
    }
    baseDoc = r.others.get(file) ?? null;
    if (!baseDoc) {
      r.ctx.issues.push(
        issueAt(
          doc,
          doc.file,
          at,
          `extends reads ${relativeName(r.ctx, file)}, which could not be loaded`,
        ),
      );
      return null;
    }
  }
  const baseServices = isMap(baseDoc.value.services) ? baseDoc.value.services : {};
  if (!isMap(baseServices[baseName])) {
    r.ctx.issues.push(
      issueAt(
        doc,
        doc.file,
        at,
        `extends names service "${baseName}", which ${baseDoc.file} does not define`,
      ),
    );
    return null;
  }
  const base = await resolveService(r, baseDoc, baseName, [...chain, id]);
  if (!base) return null;
  const merged = mergeService(base, omit(service, 'extends'), `services.${name}`, tagAtOf(doc));
  r.done.set(id, merged);
  return merged;
}
