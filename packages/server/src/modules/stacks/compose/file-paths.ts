import * as path from 'node:path';
import type { Json, JsonMap } from './yaml-load.js';
import { isMap } from './merge.js';
import { hostPath, isHostPath } from './service-volumes.js';

/** A build context that names a remote repository rather than a folder. */
export const isRemoteContext = (context: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(context) ||
  context.startsWith('git@') ||
  context.startsWith('github.com/');

const resolve = (dir: string, file: string): string => hostPath(file, dir);

function absolutizeService(service: JsonMap, dir: string): JsonMap {
  const out: JsonMap = { ...service };
  if (typeof out.build === 'string' && !isRemoteContext(out.build))
    out.build = resolve(dir, out.build);
  else if (isMap(out.build)) {
    const context = typeof out.build.context === 'string' ? out.build.context : '.';
    if (!isRemoteContext(context)) out.build = { ...out.build, context: resolve(dir, context) };
  }
  const envFiles = typeof out.env_file === 'string' ? [out.env_file] : out.env_file;
  if (Array.isArray(envFiles)) {
    out.env_file = envFiles.map((entry): Json => {
      if (typeof entry === 'string') return resolve(dir, entry);
      if (isMap(entry) && typeof entry.path === 'string')
        return { ...entry, path: resolve(dir, entry.path) };
      return entry;
    });
  }
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((entry): Json => {
      if (typeof entry === 'string') {
        const [source, ...rest] = entry.split(':');
        return rest.length > 0 && source && isHostPath(source)
          ? [resolve(dir, source), ...rest].join(':')
          : entry;
      }
      if (isMap(entry) && entry.type === 'bind' && typeof entry.source === 'string') {
        return { ...entry, source: resolve(dir, entry.source) };
      }
      return entry;
    });
  }
  if (isMap(out.extends) && typeof out.extends.file === 'string') {
    out.extends = { ...out.extends, file: resolve(dir, out.extends.file) };
  }
  return out;
}

/**
 * Relative paths of a file made absolute against the folder they are relative to (the stack
 * folder, an included project's directory, the folder of a file `extends` reads), so services
 * can be moved between files by `extends` and `include` without their paths changing meaning.
 */
export function absolutizePaths(value: JsonMap, dir: string): JsonMap {
  const out: JsonMap = { ...value };
  if (isMap(out.services)) {
    out.services = Object.fromEntries(
      Object.entries(out.services).map(([name, service]) => [
        name,
        isMap(service) ? absolutizeService(service, dir) : service,
      ]),
    );
  }
  for (const section of ['secrets', 'configs']) {
    const entries = out[section];
    if (!isMap(entries)) continue;
    out[section] = Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => [
        name,
        isMap(entry) && typeof entry.file === 'string'
          ? { ...entry, file: resolve(dir, entry.file) }
          : entry,
      ]),
    );
  }
  return out;
}

export const dirOf = (file: string): string => path.dirname(file);
