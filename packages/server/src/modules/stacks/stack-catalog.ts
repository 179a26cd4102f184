import { createHash } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { dirname, isAbsolute, relative } from 'node:path';
import type { ComposeIssue, ComposeProject } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { requireHost } from '../hosts/require-host.js';
import type { LoadInput, LoadResult } from './stack-ports.js';
import { engineProjects, type EngineProject } from './stack-states.js';
import type { StackAdoptionRow, StacksRepository } from './stacks-repository.js';
import { COMPOSE_FILES, type StackStore } from './stack-store.js';

export type Load = (input: LoadInput) => Promise<LoadResult>;
/** Berth's global variables of a host, name → value. */
export type HostVariables = (hostId: string) => Promise<Record<string, string>>;

/** Where a stack's files are and who owns them. */
export interface StackLocation {
  hostId: string;
  name: string;
  source: 'berth' | 'adopted' | 'external';
  /** The stack folder (Berth's, or an adopted stack's working dir); null for external. */
  folder: string | null;
  /** The files to load, absolute; undefined: compose's discovery in the folder. */
  configFiles: string[] | undefined;
  adoption: StackAdoptionRow | null;
  engine: EngineProject | undefined;
}

export interface Loaded {
  result: LoadResult;
  /** The digest of each file the loader read (null: it was missing), by path relative to the folder. */
  reads: Record<string, string | null>;
}

const digest = (text: string | null): string | null =>
  text === null ? null : createHash('sha256').update(text).digest('hex');

/** Finds stacks (folders, adoptions, engine projects) and loads their files. */
export class StackCatalog {
  constructor(
    private readonly hosts: EngineHosts,
    readonly store: StackStore,
    readonly repository: StacksRepository,
    private readonly load: Load,
    private readonly variables: HostVariables = () => Promise.resolve({}),
  ) {}

  engineProjects(hostId: string): Map<string, EngineProject> {
    const state = requireHost(this.hosts, hostId).state;
    return engineProjects(state.containers(), (id) => state.restartPolicy(id));
  }

  async locate(hostId: string, name: string): Promise<StackLocation | null> {
    requireHost(this.hosts, hostId);
    const engine = this.engineProjects(hostId).get(name);
    const folder = this.store.folder(hostId, name);
    if (await this.store.exists(folder))
      return {
        hostId,
        name,
        source: 'berth',
        folder,
        configFiles: undefined,
        adoption: null,
        engine,
      };
    const adoption = (await this.repository.adoptions(hostId)).find((a) => a.stack === name);
    if (adoption)
      return {
        hostId,
        name,
        source: 'adopted',
        folder: adoption.workingDir,
        configFiles: adoption.configFiles,
        adoption,
        engine,
      };
    if (engine)
      return {
        hostId,
        name,
        source: 'external',
        folder: null,
        configFiles: undefined,
        adoption: null,
        engine,
      };
    return null;
  }

  async require(hostId: string, name: string): Promise<StackLocation> {
    const found = await this.locate(hostId, name);
    if (!found) throw AppError.notFound('stack_not_found', `No stack "${name}" on ${hostId}`);
    return found;
  }

  /** The folder of a stack whose files Berth manages; a 409 for a read-only one. */
  editable(location: StackLocation): string {
    if (location.folder === null)
      throw AppError.conflict(
        'stack_read_only',
        `"${location.name}" was started by the compose CLI and its files are not Berth's: adopt it first`,
      );
    return location.folder;
  }

  /** Whether every compose file of an engine project can be read on this machine. */
  async adoptable(project: EngineProject): Promise<boolean> {
    if (project.configFiles.length === 0 || project.workingDir === null) return false;
    for (const file of project.configFiles) {
      if (!isAbsolute(file)) return false;
      try {
        await access(file, constants.R_OK);
      } catch {
        return false;
      }
    }
    return true;
  }

  /** The paths (relative to the folder) that make the stack: every file for Berth's, the compose files and `.env` for adopted ones. */
  async stackFiles(
    location: StackLocation,
  ): Promise<{ path: string; size: number; mtimeMs: number }[]> {
    const folder = location.folder;
    if (folder === null) return [];
    const all = await this.store.list(folder).catch(() => []);
    if (location.source === 'berth') return all;
    const wanted = new Set([
      ...(location.configFiles ?? []).map((f) => relative(folder, f)),
      '.env',
    ]);
    return all.filter((f) => wanted.has(f.path));
  }

  /**
   * Loads the stack's files (`overlay`: files as the editor holds them, relative paths). The
   * loader reads only inside the stack folder — and an adopted stack's compose files where
   * they are; what it read is digested, so an apply can tell whether the files moved.
   */
  async loadProject(
    location: Pick<StackLocation, 'hostId' | 'name' | 'folder' | 'configFiles'>,
    options: { profiles?: string[]; overlay?: Record<string, string>; swarm?: boolean } = {},
  ): Promise<Loaded> {
    const folder = location.folder ?? this.store.folder(location.hostId, location.name);
    const exists = await this.store.exists(folder);
    const allowed = [folder, ...(location.configFiles ?? []).map((f) => dirname(f))];
    const reads: Record<string, string | null> = {};
    const read = async (absolute: string): Promise<string | null> => {
      const rel = relative(folder, absolute);
      let text: string | null = options.overlay?.[rel] ?? null;
      if (text === null && exists) {
        const root = allowed.find((dir) => !relative(dir, absolute).startsWith('..'));
        text = root === undefined ? null : await this.store.readConfined(root, absolute);
      }
      reads[rel] = digest(text);
      return text;
    };
    const input: LoadInput = {
      name: location.name,
      workingDir: folder,
      read,
      env: await this.variables(location.hostId),
    };
    if (location.configFiles) input.configFiles = location.configFiles;
    if (options.profiles) input.profiles = options.profiles;
    if (options.swarm) input.swarm = true;
    const result = await this.load(input);
    return { result, reads };
  }

  /** The project, or a 422 listing the problems. */
  async requireProject(
    location: StackLocation,
    profiles?: string[],
  ): Promise<{ project: ComposeProject; reads: Loaded['reads'] }> {
    this.editable(location);
    const { result, reads } = await this.loadProject(location, profiles ? { profiles } : {});
    if (!result.ok) throw invalidFiles(result.issues);
    return { project: result.project, reads };
  }
}

export function invalidFiles(issues: ComposeIssue[]): AppError {
  const first = issues[0];
  const where = first
    ? `${first.file}${first.line !== null ? `:${first.line}` : ''} ${first.path}: ${first.message}`
    : '';
  return new AppError(422, 'stack_invalid', `The stack's files do not load: ${where}`, { issues });
}

/** Whether the files hold one of the names compose looks for. */
export function hasComposeFile(paths: string[]): boolean {
  return paths.some((p) => (COMPOSE_FILES as readonly string[]).includes(p));
}
