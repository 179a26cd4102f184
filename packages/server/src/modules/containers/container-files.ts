import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { ArchiveUploadResult, DirectoryListing, FileEntry } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { dockerCommand } from '../../core/docker-command.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import { openArchive } from '../../docker/archive-stream.js';
import type { ContainersApi } from '../../docker/containers-api.js';
import { normaliseContainerPath, readTarEntries } from '../../docker/tar.js';
import { packArchive } from '../../docker/tar-write.js';
import { archiveRefused, checkArchive } from './archive-upload.js';
import type { ContainersService } from './containers-service.js';

const MAX_LISTED = 5_000;

/**
 * A user's path inside a container: absolute, no ".." segments (refused rather than resolved,
 * so a mistyped path never quietly means another file), normalised otherwise.
 */
export function containerPath(raw: string): string {
  if (raw.split('/').includes('..')) {
    throw AppError.badRequest(
      'invalid_path',
      `"${raw}" has a ".." segment: give the absolute path`,
      {
        issues: [{ field: 'query.path', message: 'must not contain ".."' }],
      },
    );
  }
  try {
    return normaliseContainerPath(raw);
  } catch (err) {
    throw AppError.badRequest(
      'invalid_path',
      `"${raw}": ${err instanceof Error ? err.message : String(err)}`,
      {
        issues: [{ field: 'query.path', message: 'must be an absolute path' }],
      },
    );
  }
}

function notFound(err: unknown, path: string): never {
  if (err instanceof EngineRequestError && err.statusCode === 404) {
    throw AppError.notFound('path_not_found', `No such file or folder: ${path}`);
  }
  throw err;
}

export interface Download {
  filename: string;
  contentType: string;
  /** Streamed from the engine as the client reads; the engine connection ends with it. */
  body: Readable;
  /** Known for a file sent as itself. */
  size?: number;
}

/**
 * The folder at `path` (a path in the container with no link left to follow), its direct
 * children listed as they are: a link shows its own target and is not followed.
 */
export async function listFolder(
  api: ContainersApi,
  id: string,
  path: string,
): Promise<DirectoryListing> {
  const tar = await api.getArchive(id, path).catch((err: unknown) => notFound(err, path));
  const entries: FileEntry[] = [];
  let root: string | null = null;
  let truncated = false;
  try {
    // The archive holds the folder itself first, then its whole tree; keep its direct children.
    for await (const { entry } of readTarEntries(tar)) {
      const name = entry.name.replace(/\/$/, '');
      if (root === null) {
        root = name;
        if (entry.type !== 'directory') {
          throw AppError.badRequest('not_a_directory', `${path} is not a folder`);
        }
        continue;
      }
      const relative = name.slice(root.length + 1);
      if (relative.includes('/')) continue;
      if (entries.length >= MAX_LISTED) {
        truncated = true;
        break;
      }
      entries.push({
        name: relative,
        path: posix.join(path, relative),
        type: entry.type,
        size: entry.size,
        mode: entry.mode.toString(8).padStart(4, '0'),
        mtime: entry.mtime.toISOString(),
        linkTarget: entry.linkTarget,
      });
    }
  } finally {
    tar.destroy();
  }
  entries.sort(
    (a, b) =>
      Number(b.type === 'directory') - Number(a.type === 'directory') ||
      a.name.localeCompare(b.name),
  );
  return { path, entries, truncated };
}

/**
 * A file as itself, or a folder (or anything on request) as a tar archive, streamed with one
 * archive request. Every path that does not hand the stream on releases it: an archive left
 * unread holds the engine's lock on the container (see docs/architecture.md).
 */
export async function openDownload(
  api: ContainersApi,
  id: string,
  path: string,
  format: 'raw' | 'tar' | undefined,
  base: string,
): Promise<Download> {
  const tar = await api.getArchive(id, path).catch((err: unknown) => notFound(err, path));
  const asTar = { filename: `${base}.tar`, contentType: 'application/x-tar' };
  if (format === 'tar') return { ...asTar, body: tar };
  const opened = await openArchive(tar);
  if (opened === null) throw AppError.notFound('path_not_found', `No such file or folder: ${path}`);
  const { entry } = opened;
  if (entry.type === 'file') {
    return {
      filename: base,
      contentType: 'application/octet-stream',
      body: opened.file(),
      size: entry.size,
    };
  }
  if (format === 'raw') {
    opened.close();
    throw AppError.badRequest('not_a_file', `${path} is a ${entry.type}; download it as tar`);
  }
  return { ...asTar, body: opened.archive() };
}

/**
 * Where a container path leads when its last component is a link: the engine resolves links
 * within the container's own filesystem (its root), and says where in the path stat.
 */
async function followLink(api: ContainersApi, id: string, path: string): Promise<string> {
  let stat;
  try {
    stat = await api.statPath(id, path);
  } catch (err) {
    if (err instanceof EngineRequestError && /too many links/.test(err.message)) {
      const message = `${path}: too many links (a loop)`;
      throw AppError.badRequest('link_loop', message, {
        issues: [{ field: 'query.path', message }],
      });
    }
    throw err;
  }
  if (stat === undefined)
    throw AppError.notFound('path_not_found', `No such file or folder: ${path}`);
  return stat.linkTarget !== '' ? stat.linkTarget : path;
}

/** Browsing, downloading and uploading files through the engine's archive API. */
export class ContainerFilesService {
  constructor(private readonly containers: ContainersService) {}

  async list(hostId: string, ref: string, rawPath: string): Promise<DirectoryListing> {
    const path = containerPath(rawPath);
    const { api, id } = await this.containers.resolve(hostId, ref);
    return listFolder(api, id, await followLink(api, id, path));
  }

  async download(
    hostId: string,
    ref: string,
    rawPath: string,
    format: 'raw' | 'tar' | undefined,
  ): Promise<Download & { cli: string }> {
    const path = containerPath(rawPath);
    const { api, id, name } = await this.containers.resolve(hostId, ref);
    const base = posix.basename(path) || 'root';
    const file = await openDownload(api, id, await followLink(api, id, path), format, base);
    const target = file.contentType === 'application/x-tar' ? '-' : base;
    return { ...file, cli: dockerCommand('cp', '--follow-link', `${name}:${path}`, target) };
  }

  /** Writes one file (the request body) at `path`, replacing what is there. */
  async upload(
    hostId: string,
    ref: string,
    rawPath: string,
    content: Buffer,
  ): Promise<{ path: string; size: number; cli: string }> {
    const path = containerPath(rawPath);
    if (path === '/')
      throw AppError.badRequest('invalid_path', 'Give the path of the file to write, not /');
    const { api, id, name } = await this.containers.resolve(hostId, ref);
    const archive = packArchive([{ name: posix.basename(path), content }]);
    await api
      .putArchive(id, posix.dirname(path), archive)
      .catch((err: unknown) => notFound(err, posix.dirname(path)));
    return {
      path,
      size: content.length,
      cli: dockerCommand('cp', posix.basename(path), `${name}:${path}`),
    };
  }

  /**
   * Unpacks a tar archive into the folder at `path`, as the engine does for `docker cp -`: modes,
   * times and links as the archive holds them. The whole archive is checked first.
   */
  async uploadArchive(
    hostId: string,
    ref: string,
    rawPath: string,
    archive: Buffer,
  ): Promise<ArchiveUploadResult> {
    const path = containerPath(rawPath);
    const entries = await checkArchive(archive);
    const { api, id, name } = await this.containers.resolve(hostId, ref);
    await api.putArchive(id, path, archive).catch((err: unknown) => archiveRefused(err, path));
    return {
      path,
      entries,
      size: archive.length,
      cli: dockerCommand('cp', '-', `${name}:${path}`),
    };
  }
}
