import type { StackHistory as StackHistoryBody, StackVersionFiles } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { StackCatalog, StackLocation } from './stack-catalog.js';

const same = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/**
 * The last versions of each stack's files, in SQLite: each version is the files as a change left
 * them, with who made it, when and why. A change made outside Berth (an editor on the host) is
 * kept as a version of its own before Berth's next change, so no state is ever lost.
 */
export class StackHistory {
  constructor(
    private readonly catalog: StackCatalog,
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  private async current(location: StackLocation): Promise<Record<string, string>> {
    const folder = this.catalog.editable(location);
    const paths = (await this.catalog.stackFiles(location)).map((f) => f.path);
    return this.catalog.store.snapshot(folder, paths);
  }

  /** Keeps the files as they are now as a version. */
  async record(location: StackLocation, by: string | null, message: string | null): Promise<void> {
    const files = await this.current(location);
    const { repository } = this.catalog;
    const at = new Date(this.now()).toISOString();
    await repository.addVersion(location.hostId, location.name, { at, by, message, files });
    await repository.pruneVersions(location.hostId, location.name, this.limit);
  }

  /** Runs a change of the files, keeping what was there (if Berth has not) and what it left. */
  async change(
    location: StackLocation,
    by: string | null,
    message: string | null,
    write: () => Promise<void>,
  ): Promise<void> {
    const [latest] = await this.catalog.repository.versions(location.hostId, location.name);
    const before = await this.current(location);
    if (!latest || !same(latest.files, before))
      await this.record(location, null, latest ? 'changed outside Berth' : 'first seen');
    await write();
    await this.record(location, by, message);
  }

  async list(location: StackLocation): Promise<StackHistoryBody> {
    this.catalog.editable(location);
    const versions = await this.catalog.repository.versions(location.hostId, location.name);
    return {
      versions: versions.map(({ files, ...v }) => ({ ...v, files: Object.keys(files).sort() })),
    };
  }

  async version(location: StackLocation, id: number): Promise<StackVersionFiles> {
    this.catalog.editable(location);
    const found = await this.catalog.repository.version(location.hostId, location.name, id);
    if (!found)
      throw AppError.notFound(
        'stack_version_not_found',
        `No version ${id} of "${location.name}" (only the last ${this.limit} are kept)`,
      );
    return { id: found.id, files: found.files };
  }

  /** Puts a version's files back: files it did not have are deleted. */
  async restore(location: StackLocation, id: number, by: string | null): Promise<void> {
    const folder = this.catalog.editable(location);
    const { files } = await this.version(location, id);
    const present = (await this.catalog.stackFiles(location)).map((f) => f.path);
    await this.change(location, by, `restored version ${id}`, async () => {
      for (const [path, content] of Object.entries(files))
        await this.catalog.store.write(folder, path, content);
      for (const path of present.filter((p) => !(p in files)))
        await this.catalog.store.remove(folder, path);
    });
  }
}
