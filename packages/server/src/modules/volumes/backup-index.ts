import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  VolumeBackup,
  type BackupProblem,
  type BrokenVolumeBackup,
  type ListedVolumeBackup,
} from '@berth/contract';
import { AppError, errorMessage } from '../../core/errors.js';

export const BACKUP_ID = /^[0-9A-Za-z-]{1,64}$/;

/** What a failed read of one backup file means, in words for the list. */
export function fileProblem(err: unknown, what: 'index' | 'archive', file: string): BackupProblem {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT')
    return { code: `${what}_missing`, message: `its ${what} file ${file} is missing` };
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : errorMessage(err);
  return { code: `${what}_unreadable`, message: `its ${what} file ${file} cannot be read: ${why}` };
}

/** The time a backup id starts with (`20261201t094227123z-…`), or null. */
export function timeOfId(id: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})(\d{3})z-/.exec(id);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  const iso = `${y ?? ''}-${mo ?? ''}-${d ?? ''}T${h ?? ''}:${mi ?? ''}:${s ?? ''}.${ms ?? ''}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

async function readOne(folder: string, volume: string, id: string): Promise<ListedVolumeBackup> {
  const indexFile = `${id}.json`;
  const archiveFile = `${id}.tar.gz`;
  const archive = await stat(join(folder, archiveFile)).then(
    (s) => ({ size: s.size, problem: null }),
    (err: unknown) => ({ size: null, problem: fileProblem(err, 'archive', archiveFile) }),
  );
  const broken = (problem: BackupProblem, createdAt = timeOfId(id)): BrokenVolumeBackup => ({
    id,
    volume,
    broken: true,
    problem,
    createdAt,
    sizeBytes: archive.size,
  });
  let text: string;
  try {
    text = await readFile(join(folder, indexFile), 'utf8');
  } catch (err) {
    return broken(fileProblem(err, 'index', indexFile));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return broken({
      code: 'index_corrupt',
      message: `its index file ${indexFile} is not valid JSON (${errorMessage(err)})`,
    });
  }
  const parsed = VolumeBackup.safeParse(value);
  if (!parsed.success || parsed.data.id !== id) {
    const where = parsed.success
      ? 'id'
      : parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    return broken({
      code: 'index_corrupt',
      message: `its index file ${indexFile} does not describe this backup (${where})`,
    });
  }
  if (archive.problem) return broken(archive.problem, parsed.data.createdAt);
  return { ...parsed.data, broken: false };
}

/**
 * Every backup in a volume's folder, newest first: one whose index or archive cannot be read is
 * listed as broken, with what is wrong, and never hides the others.
 */
export async function readBackupIndex(
  folder: string,
  volume: string,
): Promise<ListedVolumeBackup[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AppError(
      500,
      'backups_unreadable',
      `The backups of ${volume} cannot be listed: ${errorMessage(err)}`,
    );
  }
  const ids = new Set(
    names
      .map((n) => /^(.+)\.(?:json|tar\.gz)$/.exec(n)?.[1])
      .filter((id): id is string => id !== undefined && BACKUP_ID.test(id)),
  );
  const listed = await Promise.all([...ids].map((id) => readOne(folder, volume, id)));
  // Ids begin with their creation time, so they sort like it, broken ones included.
  return listed.sort((a, b) => b.id.localeCompare(a.id));
}
