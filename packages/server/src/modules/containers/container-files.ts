import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { DirectoryListing, FileEntry } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { dockerCommand } from '../../docker/docker-run-command.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import { normaliseContainerPath, readTarEntries, tarSingleFile } from '../../docker/tar.js';
import type { ContainersService } from './containers-service.js';

const MAX_LISTED = 5_000;
const MAX_DOWNLOAD_FILE_BYTES = 512 * 1024 * 1024;

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

/** Browsing, downloading and uploading files through the engine's archive API. */
export class ContainerFilesService {
  constructor(private readonly containers: ContainersService) {}

  async list(hostId: string, ref: string, rawPath: string): Promise<DirectoryListing> {
    const path = containerPath(rawPath);
    const { api, id } = await this.containers.resolve(hostId, ref);
    const tar = await api.getArchive(id, path).catch((err: unknown) => notFound(err, path));
    const entries: FileEntry[] = [];
    let root: string | null = null;
    let truncated = false;
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
    tar.destroy();
    entries.sort(
      (a, b) =>
        Number(b.type === 'directory') - Number(a.type === 'directory') ||
        a.name.localeCompare(b.name),
    );
    return { path, entries, truncated };
  }

  /** A file as itself, or a folder (or a file on request) as a tar archive. */
  async download(
    hostId: string,
    ref: string,
    rawPath: string,
    format: 'raw' | 'tar' | undefined,
  ): Promise<{ filename: string; contentType: string; body: Readable | Buffer; cli: string }> {
    const path = containerPath(rawPath);
    const { api, id, name } = await this.containers.resolve(hostId, ref);
    const base = posix.basename(path) || 'root';
    const cli = dockerCommand('cp', `${name}:${path}`, '-');
    const tar = await api.getArchive(id, path).catch((err: unknown) => notFound(err, path));
    if (format === 'tar')
      return { filename: `${base}.tar`, contentType: 'application/x-tar', body: tar, cli };

    const iterator = readTarEntries(tar, MAX_DOWNLOAD_FILE_BYTES)[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw AppError.notFound('path_not_found', `No such file or folder: ${path}`);
    if (first.value.entry.type !== 'file') {
      if (format === 'raw')
        throw AppError.badRequest(
          'not_a_file',
          `${path} is a ${first.value.entry.type}; download it as tar`,
        );
      // A folder: send the whole archive, fetched afresh since we consumed its head.
      await iterator.return(undefined);
      const again = await api.getArchive(id, path);
      return { filename: `${base}.tar`, contentType: 'application/x-tar', body: again, cli };
    }
    const body = first.value.body;
    await iterator.return(undefined);
    if (!body)
      throw AppError.badRequest(
        'file_too_large',
        `${path} is too large to download as itself; ask for tar`,
      );
    return {
      filename: base,
      contentType: 'application/octet-stream',
      body,
      cli: dockerCommand('cp', `${name}:${path}`, base),
    };
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
    const archive = tarSingleFile(posix.basename(path), content);
    await api
      .putArchive(id, posix.dirname(path), archive)
      .catch((err: unknown) => notFound(err, posix.dirname(path)));
    return {
      path,
      size: content.length,
      cli: dockerCommand('cp', posix.basename(path), `${name}:${path}`),
    };
  }
}
