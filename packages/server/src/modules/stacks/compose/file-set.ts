import type { Lookup } from './interpolate.js';
import { isMap, mergeSection, mergeService } from './merge.js';
import type { JsonMap } from './yaml-load.js';
import { readComposeFile, tagAtOf, type FileContext } from './compose-files.js';
import { resolveExtends } from './extends.js';
import { applyIncludes } from './include.js';

const SECTIONS = ['networks', 'volumes', 'secrets', 'configs'] as const;

/**
 * Files read as one project: each file read and checked, its `include`s and `extends`
 * resolved, then merged over the files before it (compose's order). Null when any file had an
 * issue (all files are still read, so every issue is reported at once).
 */
export async function loadFileSet(
  ctx: FileContext,
  files: string[],
  projectDir: string,
  lookup: Lookup,
): Promise<JsonMap | null> {
  let project: JsonMap = {};
  let ok = true;
  for (const file of files) {
    const doc = await readComposeFile(ctx, file, projectDir, lookup);
    if (!doc) {
      ok = false;
      continue;
    }
    const withIncludes = await applyIncludes(ctx, doc, projectDir, lookup, (f, dir, l) =>
      loadFileSet(ctx, f, dir, l),
    );
    if (!withIncludes) {
      ok = false;
      continue;
    }
    doc.value = withIncludes;
    const issuesBefore = ctx.issues.length;
    const services = await resolveExtends(ctx, doc, lookup);
    if (ctx.issues.length > issuesBefore) ok = false;
    const tagAt = tagAtOf(doc);
    const merged: JsonMap = { ...project };
    for (const [key, value] of Object.entries(doc.value)) {
      if (key === 'services' || (SECTIONS as readonly string[]).includes(key)) continue;
      merged[key] = value;
    }
    const prior = isMap(project.services) ? project.services : {};
    const nextServices: JsonMap = { ...prior };
    // `name: !reset` removes a service the files before defined.
    for (const name of Object.keys(isMap(doc.value.services) ? doc.value.services : {})) {
      if (tagAt(`services.${name}`) === 'reset') delete nextServices[name];
    }
    for (const [name, service] of Object.entries(services)) {
      const at = `services.${name}`;
      if (tagAt(at) === 'reset') continue;
      const base = nextServices[name];
      nextServices[name] =
        isMap(base) && isMap(service) && tagAt(at) !== 'override'
          ? mergeService(base, service, at, tagAt)
          : service;
    }
    merged.services = nextServices;
    for (const section of SECTIONS) {
      const over = doc.value[section];
      if (!isMap(over)) continue;
      const base = isMap(project[section]) ? project[section] : {};
      merged[section] = mergeSection(base, over, section, tagAt);
    }
    project = merged;
  }
  return ok ? project : null;
}
