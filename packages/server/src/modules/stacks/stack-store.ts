import { randomBytes } from 'node:crypto';
import {
  lstat,
  mkdir,
  readFile,
  readdir,
  realpath,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../../core/errors.js';

/** The files compose finds by itself in a folder, in its order of preference. */
export const COMPOSE_FILES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
] as const;

/** What a stack's snapshot holds at most: enough for compose files and what they refer to. */
const MAX_FILES = 256;
const MAX_FILE_BYTES = 1024 * 1024;

const isNotFound = (err: unknown): boolean =>
  (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';

const inside = (root: string, path: string): boolean =>
  path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);

const fileIssue = (code: string, message: string): AppError =>
  AppError.badRequest(code, message, { issues: [{ field: 'params.*', message }] });

/**
 * Stack folders on disk: `<root>/<host>/<name>/`. Every path is confined to its folder — a `..`
 * or a link that leads out of it is refused, naming it — and every write goes to a temporary
 * file first and is renamed into place, so a reader never sees half a file.
 */
export class StackStore {
  constructor(private readonly root: string) {}

  folder(hostId: string, name: string): string {
    return join(this.root, hostId, name);
  }

  /** The stack folders of a host, by name. */
  async names(hostId: string): Promise<string[]> {
    try {
      const entries = await readdir(join(this.root, hostId), { withFileTypes: true });
      return entries.filter((e) => e.isDirectory()).map((e) => e.name);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  async exists(folder: string): Promise<boolean> {
    try {
      return (await stat(folder)).isDirectory();
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Makes the folder; a 409 when it is there already. */
  async createFolder(hostId: string, name: string): Promise<string> {
    await mkdir(join(this.root, hostId), { recursive: true });
    const folder = this.folder(hostId, name);
    try {
      await mkdir(folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw AppError.conflict('stack_exists', `A stack named "${name}" exists already`);
      throw err;
    }
    return folder;
  }

  async removeFolder(folder: string): Promise<void> {
    await rm(folder, { recursive: true, force: true });
  }

  /**
   * The absolute path of `rel` in the folder, after checking that neither it nor any folder on
   * the way is a link out of the folder (what does not exist yet cannot be one).
   */
  async confine(folder: string, rel: string): Promise<string> {
    const root = await realpath(folder);
    const target = resolve(root, rel);
    if (!inside(root, target) || target === root)
      throw fileIssue('path_outside_stack', `${rel}: not a file inside the stack folder`);
    for (let probe = target; inside(root, probe); probe = dirname(probe)) {
      let real: string;
      try {
        real = await realpath(probe);
      } catch (err) {
        if (isNotFound(err)) continue;
        throw err;
      }
      if (!inside(root, real))
        throw fileIssue(
          'link_outside_stack',
          `${rel}: ${relative(root, probe) || rel} is a link out of the stack folder; it is not followed`,
        );
      break;
    }
    return target;
  }

  /** A file's text; null when there is none. */
  async read(folder: string, rel: string): Promise<string | null> {
    const path = await this.confine(folder, rel);
    try {
      const info = await stat(path);
      if (!info.isFile()) throw fileIssue('not_a_file', `${rel}: not a file`);
      if (info.size > MAX_FILE_BYTES) throw fileIssue('file_too_large', `${rel}: over 1 MiB`);
      return await readFile(path, 'utf8');
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Reads an absolute path for the loader: only inside the folder, else as if missing. */
  async readConfined(folder: string, absolute: string): Promise<string | null> {
    const root = await realpath(folder).catch(() => folder);
    if (!inside(root, absolute) && !inside(folder, absolute)) return null;
    const rel = relative(inside(root, absolute) ? root : folder, absolute);
    try {
      return await this.read(folder, rel);
    } catch (err) {
      if (err instanceof AppError) return null;
      throw err;
    }
  }

  /** Writes atomically: a temporary file beside it, renamed over it. */
  async write(folder: string, rel: string, content: string): Promise<void> {
    const path = await this.confine(folder, rel);
    await mkdir(dirname(path), { recursive: true });
    const existing = await lstat(path).catch((err: unknown) => {
      if (isNotFound(err)) return null;
      throw err;
    });
    if (existing?.isDirectory()) throw fileIssue('not_a_file', `${rel}: is a folder`);
    const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.berth-tmp`);
    try {
      await writeFile(temp, content, {
        flag: 'wx',
        mode: existing ? existing.mode & 0o777 : 0o644,
      });
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async remove(folder: string, rel: string): Promise<void> {
    const path = await this.confine(folder, rel);
    try {
      await unlink(path);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Every regular file of the folder (links within it followed, others left out), by path. */
  async list(folder: string): Promise<{ path: string; size: number; mtimeMs: number }[]> {
    const root = await realpath(folder);
    const found: { path: string; size: number; mtimeMs: number }[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        if (found.length >= MAX_FILES) return;
        if (entry.name.endsWith('.berth-tmp')) continue;
        const path = join(dir, entry.name);
        const real = await realpath(path).catch(() => null);
        if (real === null || !inside(root, real)) continue;
        const info = await stat(real);
        if (info.isDirectory()) {
          if (!entry.isSymbolicLink()) await walk(path);
        } else if (info.isFile()) {
          found.push({ path: relative(root, path), size: info.size, mtimeMs: info.mtimeMs });
        }
      }
    };
    await walk(root);
    return found;
  }

  /** The named files' texts (those that exist and fit), by path. */
  async snapshot(folder: string, paths: string[]): Promise<Record<string, string>> {
    const files: Record<string, string> = {};
    for (const rel of paths) {
      const text = await this.read(folder, rel).catch((err: unknown) => {
        if (err instanceof AppError) return null;
        throw err;
      });
      if (text !== null) files[rel] = text;
    }
    return files;
  }
}
