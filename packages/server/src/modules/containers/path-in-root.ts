import { posix } from 'node:path';
import { AppError } from '../../core/errors.js';
import type { ContainersApi } from '../../docker/containers-api.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import { readTarEntries } from '../../docker/tar.js';

/** Go's os.ModeDir and os.ModeSymlink, as the engine's path stat carries them. */
const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
/** As Linux: more links than this in one path is a loop, or as good as one. */
const MAX_LINKS = 40;

export interface PathNode {
  /** `loop`: a link the engine itself could not resolve for too many links. */
  kind: 'directory' | 'symlink' | 'loop' | 'other';
  /** A link's own text (as `readlink` prints it). */
  linkTarget: string | null;
}

/** What is at an absolute path in the container (a link is not followed); null when nothing. */
export type PathProbe = (path: string) => Promise<PathNode | null>;

export interface Root {
  /** Where the root is in the container, e.g. the helper's volume mount. */
  mount: string;
  /** How messages name it: "the volume". */
  label: string;
  /**
   * Absolute paths that also mean the root, e.g. where containers mount the volume: a link to
   * `/data/x` written by a container with the volume at `/data` is the volume's `/x`.
   */
  aliases: string[];
}

const invalid = (code: string, message: string): AppError =>
  AppError.badRequest(code, message, { issues: [{ field: 'query.path', message }] });

const parts = (path: string): string[] => path.split('/').filter((p) => p !== '' && p !== '.');
const shown = (names: string[]): string => `/${names.join('/')}`;

/**
 * Resolves a user's path (absolute, in the root's terms) to a path in the container with no
 * link left in it, following links only within the root. The engine's archive API follows a
 * link anywhere in the path, and it does so within the whole container, so a link to `/etc` in
 * a volume would read the helper container's `/etc`: each component is looked at here first.
 * A link that leads out of the root is refused, naming it. With `followLast` false a link in
 * the last component is left as it is.
 */
export async function resolveInRoot(
  probe: PathProbe,
  root: Root,
  userPath: string,
  followLast = true,
): Promise<string> {
  const done: string[] = [];
  // Each component remembers the link whose target it came from, to name it when it climbs out.
  type Step = { name: string; from: { path: string; target: string } | null };
  const steps = (names: string[], from: Step['from']): Step[] =>
    names.map((name) => ({ name, from }));
  let pending = steps(parts(userPath), null);
  let links = 0;
  const outside = (link: string, target: string): AppError =>
    invalid(
      'link_outside_root',
      `${userPath}: ${link} is a link to ${target}, outside ${root.label}; it is not followed`,
    );
  for (let step = pending.shift(); step !== undefined; step = pending.shift()) {
    const { name, from } = step;
    // Only a link's target has "..": user paths with one are refused before they get here.
    if (name === '..') {
      if (done.pop() === undefined) throw outside(from?.path ?? '/', from?.target ?? '..');
      continue;
    }
    const here = shown([...done, name]);
    const node = await probe(posix.join(root.mount, here));
    if (node === null) {
      throw AppError.notFound('path_not_found', `No such file or folder: ${userPath}`);
    }
    const isLink = node.kind === 'symlink' || node.kind === 'loop';
    if (isLink && (pending.length > 0 || followLast)) {
      links += 1;
      if (node.kind === 'loop' || links > MAX_LINKS) {
        throw invalid('link_loop', `${userPath}: too many links (a loop) at ${here}`);
      }
      const target = node.linkTarget ?? '';
      const link = { path: here, target };
      if (target.startsWith('/')) {
        const normal = posix.normalize(target);
        const alias = root.aliases.find((a) => normal === a || normal.startsWith(`${a}/`));
        if (alias === undefined) throw outside(here, target);
        done.length = 0;
        pending = [...steps(parts(normal.slice(alias.length)), link), ...pending];
      } else {
        pending = [...steps(parts(target), link), ...pending];
      }
      continue;
    }
    if (pending.length > 0 && node.kind !== 'directory') {
      throw invalid('not_a_directory', `${userPath}: ${here} is not a folder`);
    }
    done.push(name);
  }
  return posix.join(root.mount, ...done);
}

/**
 * A probe through the engine's archive API: a HEAD for each component, and for a link its own
 * text, read from the one-entry archive of the link itself (the stat's linkTarget is where the
 * engine resolves it in the container, which is what must not be trusted here).
 */
export function archiveProbe(api: ContainersApi, id: string): PathProbe {
  return async (path) => {
    let stat;
    try {
      stat = await api.statPath(id, path);
    } catch (err) {
      // The engine resolves a link it is asked about and fails on a loop (its message names
      // host paths, so it is not passed on).
      if (err instanceof EngineRequestError && /too many links/.test(err.message)) {
        return { kind: 'loop', linkTarget: null };
      }
      throw err;
    }
    if (stat === undefined) return null;
    if ((stat.mode & MODE_DIR) !== 0) return { kind: 'directory', linkTarget: null };
    if ((stat.mode & MODE_SYMLINK) === 0) return { kind: 'other', linkTarget: null };
    const tar = await api.getArchive(id, path);
    for await (const { entry } of readTarEntries(tar)) {
      if (entry.type === 'symlink') return { kind: 'symlink', linkTarget: entry.linkTarget };
      break;
    }
    tar.destroy();
    return { kind: 'other', linkTarget: null };
  };
}
