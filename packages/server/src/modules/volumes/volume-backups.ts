import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { ListedVolumeBackup, VolumeBackup } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { ContainersApi } from '../../docker/containers-api.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { readTarEntries } from '../../docker/tar.js';
import { VolumesApi } from '../../docker/volumes-api.js';
import { requireHost } from '../hosts/require-host.js';
import type {
  JournalKind,
  JournalOperation,
  OperationJournal,
} from '../journal/operation-journal.js';
import { settleBackup, settleRestore } from './backup-recovery.js';
import { BACKUP_ID, fileProblem, readBackupIndex } from './backup-index.js';
import { VOLUME_MOUNT, type VolumeHelper } from './volume-helper.js';

function backupId(now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, '').replace('T', 't').toLowerCase()}-${randomBytes(2).toString('hex')}`;
}

/** Counts bytes flowing through, reporting progress now and then. */
function counter(onProgress: (bytes: number) => void): Transform & { bytes: number } {
  let last = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      t.bytes += chunk.length;
      if (t.bytes - last > 1024 * 1024) {
        last = t.bytes;
        onProgress(t.bytes);
      }
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  t.bytes = 0;
  return t;
}

/**
 * Volume backups: a gzip'd tar of the volume's files in Berth's data directory, with a small
 * JSON file beside it; restore into a new volume or an existing empty one.
 */
export class VolumeBackups {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly helper: VolumeHelper,
    private readonly dir: string,
    private readonly journal: OperationJournal,
  ) {}

  async create(
    hostId: string,
    volume: string,
    options: { stopContainers: boolean },
  ): Promise<VolumeBackup> {
    const host = await this.existing(hostId, volume);
    const containers = new ContainersApi(host.client);
    const running = host.state
      .containers()
      .filter(
        (c) =>
          c.state === 'running' && c.mounts.some((m) => m.type === 'volume' && m.name === volume),
      );
    const now = new Date();
    const id = backupId(now);
    const folder = this.folder(hostId, volume);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const archive = join(folder, `${id}.tar.gz`);
    const metaFile = join(folder, `${id}.json`);
    const op = await this.journal.begin('backup', hostId, 'stopping', {
      volume,
      archive,
      meta: metaFile,
      stopped: [],
    });
    const stopped: string[] = [];
    try {
      if (options.stopContainers) {
        for (const c of running) {
          await op.step('stopping', { ...op.data, stopped: [...op.data.stopped, c.id] });
          await containers.stop(c.id);
          stopped.push(c.name);
        }
      }
      await op.step('copying');
      const files = await this.helper.with(
        host,
        volume,
        true,
        (helperId) => this.copyOut(host, containers, helperId, volume, archive),
        op.id,
      );
      const meta: VolumeBackup = {
        id,
        volume,
        createdAt: now.toISOString(),
        sizeBytes: (await stat(archive)).size,
        files,
        stoppedContainers: stopped,
      };
      await op.step('writing-meta');
      // The metadata file is what makes a backup complete: written whole or not at all.
      await writeFile(`${metaFile}.tmp`, JSON.stringify(meta), { mode: 0o600 });
      await rename(`${metaFile}.tmp`, metaFile);
      this.progress(host, 'backup', volume, meta.sizeBytes, 'done');
      return meta;
    } finally {
      await this.settle(op, async () => {
        await op.step('restarting');
        return settleBackup(host, this.helper, op.id, op.data);
      });
    }
  }

  /** Streams the volume's tar into a gzip'd archive file; returns how many files it holds. */
  private async copyOut(
    host: EngineHost,
    containers: ContainersApi,
    helperId: string,
    volume: string,
    archive: string,
  ): Promise<number> {
    const tar = await containers.getArchive(helperId, VOLUME_MOUNT);
    const count = counter((bytes) => this.progress(host, 'backup', volume, bytes));
    const toFile = new PassThrough();
    const toCount = new PassThrough();
    tar.pipe(count);
    count.pipe(toFile);
    count.pipe(toCount);
    let entries = 0;
    const counting = (async () => {
      for await (const { entry } of readTarEntries(toCount))
        if (entry.type !== 'directory') entries += 1;
    })();
    await Promise.all([
      pipeline(toFile, createGzip(), createWriteStream(archive, { mode: 0o600 })),
      counting,
    ]);
    return entries;
  }

  /** Runs an operation's cleanup and closes its journal entry; recovery retries a failed one. */
  private async settle(
    op: Pick<JournalOperation<JournalKind>, 'finish' | 'release'>,
    cleanup: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await cleanup();
    } catch (err) {
      op.release();
      throw err;
    }
    await op.finish();
  }

  /** Newest first; a backup whose files cannot be read is listed as broken, saying why. */
  async list(hostId: string, volume: string): Promise<ListedVolumeBackup[]> {
    requireHost(this.hosts, hostId);
    return readBackupIndex(this.folder(hostId, volume), volume);
  }

  /** Refuses (404) a volume that is not on the host. */
  async requireVolume(hostId: string, volume: string): Promise<void> {
    await this.existing(hostId, volume);
  }

  async open(
    hostId: string,
    volume: string,
    id: string,
  ): Promise<{ filename: string; body: Readable }> {
    const file = await this.archivePath(hostId, volume, id);
    return { filename: `${volume}-${id}.tar.gz`, body: createReadStream(file) };
  }

  /** Deletes a backup's archive and index, whichever of them is there (a broken one too). */
  async delete(hostId: string, volume: string, id: string): Promise<void> {
    if (!BACKUP_ID.test(id))
      throw AppError.badRequest('invalid_backup_id', `"${id}" is not a backup id`);
    const folder = this.folder(hostId, volume);
    const files = [join(folder, `${id}.tar.gz`), join(folder, `${id}.json`)];
    // lstat: an archive that is a broken link is there, and can be deleted.
    const present = await Promise.all(
      files.map((f) =>
        lstat(f).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (!present.includes(true))
      throw AppError.notFound('backup_not_found', `No backup "${id}" of ${volume}`);
    for (const file of files) await rm(file, { force: true });
  }

  /** Restores into `target` (created when missing; an existing one must be empty). */
  async restore(
    hostId: string,
    volume: string,
    id: string,
    target: string | undefined,
  ): Promise<{ volume: string; files: number }> {
    const host = requireHost(this.hosts, hostId);
    const file = await this.archivePath(hostId, volume, id);
    const name = target ?? `${volume}-restored-${id}`.slice(0, 255);
    const volumes = new VolumesApi(host.client);
    const exists = (await volumes.find(name)) !== undefined;
    const op = await this.journal.begin('restore', hostId, exists ? 'copying' : 'creating-volume', {
      volume,
      backupId: id,
      target: name,
      createdVolume: !exists,
    });
    let complete = false;
    try {
      if (exists) await this.requireEmpty(host, name, op.id);
      else {
        await volumes.create({
          Name: name,
          Driver: 'local',
          Labels: { 'io.berth.restored-from': `${volume}/${id}` },
        });
        await op.step('copying');
      }
      const files = await this.helper.with(
        host,
        name,
        false,
        async (helperId, api) => {
          // The archive's entries are "volume/…": written at / they land in the volume mount.
          const count = counter((bytes) => this.progress(host, 'restore', name, bytes));
          const tar = createReadStream(file).pipe(createGunzip()).pipe(count);
          await api.putArchive(helperId, '/', tar);
          await op.step('cleaning-up');
          complete = true;
          const meta = (await this.list(hostId, volume)).find((b) => b.id === id);
          return meta && !meta.broken ? meta.files : 0;
        },
        op.id,
      );
      this.progress(host, 'restore', name, 0, 'done');
      return { volume: name, files };
    } finally {
      await this.settle(op, () => settleRestore(host, this.helper, op.id, op.data, complete));
    }
  }

  private async requireEmpty(host: EngineHost, name: string, operation: string): Promise<void> {
    const empty = await this.helper.with(
      host,
      name,
      true,
      async (helperId, api) => {
        const tar = await api.getArchive(helperId, VOLUME_MOUNT);
        for await (const { entry } of readTarEntries(tar)) {
          if (entry.name.replace(/\/$/, '') !== 'volume') {
            tar.destroy();
            return false;
          }
        }
        return true;
      },
      operation,
    );
    if (!empty)
      throw AppError.conflict(
        'volume_not_empty',
        `Volume "${name}" is not empty: restore into a new or empty volume`,
      );
  }

  /** Keeps the newest `keep` backups of a volume (broken ones are left for a person to see). */
  async prune(hostId: string, volume: string, keep: number): Promise<number> {
    const old = (await this.list(hostId, volume)).filter((b) => !b.broken).slice(keep);
    for (const b of old) await this.delete(hostId, volume, b.id);
    return old.length;
  }

  private folder(hostId: string, volume: string): string {
    return join(this.dir, hostId, volume);
  }

  /** The archive of a backup: only one that is not there is "not found"; unreadable is a 500. */
  private async archivePath(hostId: string, volume: string, id: string): Promise<string> {
    if (!BACKUP_ID.test(id))
      throw AppError.badRequest('invalid_backup_id', `"${id}" is not a backup id`);
    const file = join(this.folder(hostId, volume), `${id}.tar.gz`);
    try {
      await stat(file);
    } catch (err) {
      const problem = fileProblem(err, 'archive', `${id}.tar.gz`);
      if (problem.code === 'archive_missing')
        throw AppError.notFound('backup_not_found', `No backup "${id}" of ${volume}`);
      throw new AppError(
        500,
        'backup_unreadable',
        `Backup "${id}" of ${volume}: ${problem.message}`,
      );
    }
    return file;
  }

  private async existing(hostId: string, volume: string): Promise<EngineHost> {
    const host = requireHost(this.hosts, hostId);
    if (!(await new VolumesApi(host.client).find(volume)))
      throw AppError.notFound('volume_not_found', `No volume "${volume}" on ${hostId}`);
    return host;
  }

  private progress(
    host: EngineHost,
    operation: 'backup' | 'restore',
    volume: string,
    bytes: number,
    status = 'copying',
  ): void {
    host.progress.emit({
      operation,
      transferId: null,
      subject: volume,
      status,
      layer: null,
      current: bytes,
      total: null,
    });
  }
}
