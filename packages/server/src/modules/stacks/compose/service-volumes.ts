import { homedir } from 'node:os';
import * as path from 'node:path';
import { parseSize } from '@berth/contract';
import type { ComposeServiceVolume } from '@berth/contract';
import { asText, type Json, type JsonMap } from './yaml-load.js';

export class VolumeSyntaxError extends Error {}

const PROPAGATION = new Set(['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate']);

/** Compose reads a short-syntax source as a host path when it looks like one. */
export function isHostPath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
}

/** The container path of a volume entry, short or long; what an override merges volumes by. */
export function volumeTarget(entry: Json): string | undefined {
  if (typeof entry === 'string') {
    const parts = entry.split(':');
    return parts.length === 1 ? parts[0] : parts[1];
  }
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
    return typeof entry.target === 'string' ? entry.target : undefined;
  }
  return undefined;
}

/** `SOURCE:TARGET[:MODE]` or `TARGET` (anonymous) as a long entry. */
export function parseShortVolume(spec: string, workingDir: string): ComposeServiceVolume {
  const parts = spec.split(':');
  if (parts.length === 1) return { type: 'volume', target: spec };
  if (parts.length > 3) throw new VolumeSyntaxError(`"${spec}" has too many ":" parts`);
  const [source = '', target = '', mode] = parts;
  if (source === '' || target === '')
    throw new VolumeSyntaxError(`"${spec}" needs a source and a target`);
  const volume: ComposeServiceVolume = isHostPath(source)
    ? {
        type: 'bind',
        source: hostPath(source, workingDir),
        target,
        bind: { create_host_path: true },
      }
    : { type: 'volume', source, target, volume: {} };
  for (const option of mode ? mode.split(',') : []) {
    if (option === 'ro') volume.read_only = true;
    else if (option === 'rw') volume.read_only = false;
    else if (option === 'nocopy' && volume.type === 'volume') volume.volume = { nocopy: true };
    else if (PROPAGATION.has(option) && volume.type === 'bind') {
      volume.bind = { ...volume.bind, propagation: option };
    } else if (option === 'z' || option === 'Z') {
      throw new VolumeSyntaxError(
        `the SELinux option "${option}" of "${spec}" is not supported by Berth yet`,
      );
    } else throw new VolumeSyntaxError(`"${option}" in "${spec}" is not a volume option`);
  }
  return volume;
}

/** An absolute host path: relative ones against the stack folder, `~` the server's home. */
export function hostPath(source: string, workingDir: string): string {
  if (source === '~' || source.startsWith('~/')) {
    return path.join(homedir(), source.slice(1));
  }
  return path.resolve(workingDir, source);
}

const asBool = (value: Json | undefined): boolean | undefined =>
  value === undefined ? undefined : value === true || value === 'true';

function parseMode(value: Json | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const mode = Number.parseInt(asText(value), 8);
  if (Number.isNaN(mode))
    throw new VolumeSyntaxError(`mode "${asText(value)}" is not an octal number`);
  return mode;
}

/** A long-syntax volume entry (already schema-checked), its refused keys left to the caller. */
export function parseLongVolume(entry: JsonMap, workingDir: string): ComposeServiceVolume {
  const type = asText(entry.type);
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') {
    throw new VolumeSyntaxError(`volumes of type "${type}" are not supported by Berth yet`);
  }
  if (typeof entry.target !== 'string') throw new VolumeSyntaxError('a volume needs a target');
  const volume: ComposeServiceVolume = { type, target: entry.target };
  if (typeof entry.source === 'string' && entry.source !== '') {
    volume.source = type === 'bind' ? hostPath(entry.source, workingDir) : entry.source;
  }
  if (type === 'bind' && !volume.source) throw new VolumeSyntaxError('a bind mount needs a source');
  const readOnly = asBool(entry.read_only);
  if (readOnly !== undefined) volume.read_only = readOnly;
  const bind = entry.bind;
  if (bind && typeof bind === 'object' && !Array.isArray(bind)) {
    volume.bind = {};
    const create = asBool(bind.create_host_path);
    if (create !== undefined) volume.bind.create_host_path = create;
    if (typeof bind.propagation === 'string') volume.bind.propagation = bind.propagation;
  }
  const vol = entry.volume;
  if (vol && typeof vol === 'object' && !Array.isArray(vol)) {
    volume.volume = {};
    const nocopy = asBool(vol.nocopy);
    if (nocopy !== undefined) volume.volume.nocopy = nocopy;
    if (typeof vol.subpath === 'string') volume.volume.subpath = vol.subpath;
  }
  const tmpfs = entry.tmpfs;
  if (tmpfs && typeof tmpfs === 'object' && !Array.isArray(tmpfs)) {
    volume.tmpfs = {};
    if (tmpfs.size !== undefined) {
      const size = typeof tmpfs.size === 'number' ? tmpfs.size : parseSize(asText(tmpfs.size));
      if (size === null)
        throw new VolumeSyntaxError(`tmpfs size "${asText(tmpfs.size)}" is not a size`);
      volume.tmpfs.size = size;
    }
    const mode = parseMode(tmpfs.mode);
    if (mode !== undefined) volume.tmpfs.mode = mode;
  }
  return volume;
}
