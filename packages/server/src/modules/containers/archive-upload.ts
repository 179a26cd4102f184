import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../../core/errors.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import { readTarEntries } from '../../docker/tar.js';

/** Where an entry name (or a hard link's target) lands, relative to the folder unpacked into. */
function inRoot(name: string): boolean {
  const relative = posix.normalize(name.replace(/^\/+/, ''));
  return relative !== '..' && !relative.startsWith('../');
}

const outside = (name: string): AppError =>
  AppError.badRequest(
    'archive_outside_root',
    `The archive's entry "${name}" leads outside the folder it is unpacked into; nothing was written`,
    { issues: [{ field: 'body', message: `entry "${name}" leads outside the folder` }] },
  );

/**
 * Reads a whole archive before any of it is written: every entry (and every hard link's target)
 * must stay inside the folder it is unpacked into, as the engine itself unpacks it (names are
 * joined under the folder, so "/x" is the folder's "x"). Answers the number of entries.
 */
export async function checkArchive(archive: Buffer): Promise<number> {
  if (archive.length === 0) {
    throw AppError.badRequest('invalid_archive', 'The body is empty: send a tar archive', {
      issues: [{ field: 'body', message: 'must be a tar archive' }],
    });
  }
  let entries = 0;
  try {
    for await (const { entry } of readTarEntries(Readable.from([archive]))) {
      if (!inRoot(entry.name)) throw outside(entry.name);
      if (entry.type === 'hardlink' && entry.linkTarget !== null && !inRoot(entry.linkTarget))
        throw outside(`${entry.name} (a hard link to ${entry.linkTarget})`);
      entries += 1;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw AppError.badRequest('invalid_archive', `The body is not a tar archive: ${message}`, {
      issues: [{ field: 'body', message: 'must be a tar archive' }],
    });
  }
  return entries;
}

/** The engine's refusal of an archive, in the user's terms (its folder, not a host path). */
export function archiveRefused(err: unknown, path: string): never {
  if (err instanceof EngineRequestError && err.statusCode === 404)
    throw AppError.notFound('path_not_found', `No such folder: ${path}`);
  if (err instanceof EngineRequestError && err.statusCode === 400) {
    const message = /not a directory/i.test(err.message)
      ? `${path} is not a folder`
      : `The engine refused the archive: ${err.message}`;
    throw AppError.badRequest(
      /not a directory/i.test(err.message) ? 'not_a_directory' : 'archive_refused',
      message,
    );
  }
  throw err;
}
