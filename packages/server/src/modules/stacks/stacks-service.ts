import type { StackCreate, StackDetail, StackSummary, StackUpdate } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { StackProgressFeed } from './stack-progress.js';
import type { StackRuntime } from './stack-ports.js';
import { hasComposeFile, type StackCatalog, type StackLocation } from './stack-catalog.js';
import { desiredServices, stackStates } from './stack-states.js';
import type { StackDeployRow } from './stacks-repository.js';
import { StackHistory } from './stack-history.js';

export interface StacksServiceDeps {
  catalog: StackCatalog;
  runtime: StackRuntime;
  progress: StackProgressFeed;
  /** How many versions of each stack's files are kept. */
  historyLimit?: number;
  now?: () => number;
}

const noCompose = (field = 'body.files'): AppError =>
  AppError.badRequest('compose_file_missing', 'A stack needs a compose file', {
    issues: [
      {
        field,
        message: 'add compose.yaml (or compose.yml, docker-compose.yml, docker-compose.yaml)',
      },
    ],
  });

/** Stacks on disk and on the engine: list, files, history, adopt, remove. */
export class StacksService {
  private readonly catalog: StackCatalog;
  readonly history: StackHistory;

  constructor(private readonly deps: StacksServiceDeps) {
    this.catalog = deps.catalog;
    this.history = new StackHistory(deps.catalog, deps.historyLimit ?? 20, deps.now ?? Date.now);
  }

  async list(hostId: string): Promise<{ stacks: StackSummary[] }> {
    const engine = this.catalog.engineProjects(hostId);
    const names = new Set([
      ...(await this.catalog.store.names(hostId)),
      ...(await this.catalog.repository.adoptions(hostId)).map((a) => a.stack),
      ...engine.keys(),
    ]);
    const deploys = await this.catalog.repository.deploys(hostId);
    const stacks: StackSummary[] = [];
    for (const name of [...names].sort()) {
      const location = await this.catalog.locate(hostId, name);
      if (location) stacks.push((await this.describe(location, deploys)).summary);
    }
    return { stacks };
  }

  /** Throws the 404 of a stack the host does not have (on disk, adopted, or on the engine). */
  async require(hostId: string, name: string): Promise<void> {
    await this.catalog.require(hostId, name);
  }

  async get(hostId: string, name: string): Promise<StackDetail> {
    const location = await this.catalog.require(hostId, name);
    const deploys = await this.catalog.repository.deploys(hostId);
    const { summary, issues } = await this.describe(location, deploys);
    const files = (await this.catalog.stackFiles(location)).map(({ path, size }) => ({
      path,
      size,
    }));
    return { ...summary, files, issues };
  }

  private async describe(
    location: StackLocation,
    deploys: Map<string, StackDeployRow>,
  ): Promise<{ summary: StackSummary; issues: StackDetail['issues'] }> {
    const containers = location.engine?.containers ?? [];
    let desired = null;
    let issues: StackDetail['issues'] = [];
    let configFiles = location.configFiles ?? location.engine?.configFiles ?? [];
    if (location.folder !== null) {
      const { result } = await this.catalog.loadProject(location);
      if (result.ok) {
        desired = desiredServices(result.project);
        configFiles = result.project.config_files;
      } else issues = result.issues;
    }
    const files = await this.catalog.stackFiles(location);
    const newest = Math.max(0, ...files.map((f) => f.mtimeMs));
    const summary: StackSummary = {
      name: location.name,
      host: location.hostId,
      source: location.source,
      adoptable:
        location.source === 'external' && location.engine !== undefined
          ? await this.catalog.adoptable(location.engine)
          : false,
      ...stackStates(desired, containers, location.engine?.noRestart),
      workingDir: location.folder ?? location.engine?.workingDir ?? null,
      configFiles,
      updatedAt: newest > 0 ? new Date(newest).toISOString() : null,
      lastDeploy: deploys.get(location.name) ?? null,
    };
    return { summary, issues };
  }

  async create(hostId: string, input: StackCreate, by: string | null): Promise<StackDetail> {
    if (!hasComposeFile(Object.keys(input.files))) throw noCompose();
    if (await this.catalog.locate(hostId, input.name))
      throw AppError.conflict('stack_exists', `A stack named "${input.name}" exists already`);
    const folder = await this.catalog.store.createFolder(hostId, input.name);
    try {
      for (const [path, content] of Object.entries(input.files))
        await this.catalog.store.write(folder, path, content);
    } catch (err) {
      await this.catalog.store.removeFolder(folder);
      throw err;
    }
    const location = await this.catalog.require(hostId, input.name);
    await this.history.record(location, by, 'created');
    return this.get(hostId, input.name);
  }

  /** Creates a stack from uploaded files (an archive's, or one compose file). */
  async import(
    hostId: string,
    name: string,
    files: StackCreate['files'],
    by: string | null,
  ): Promise<StackDetail> {
    if (!hasComposeFile(Object.keys(files))) throw noCompose('body');
    return this.create(hostId, { name, files }, by);
  }

  async update(
    hostId: string,
    name: string,
    input: StackUpdate,
    by: string | null,
  ): Promise<StackDetail> {
    const location = await this.catalog.require(hostId, name);
    const folder = this.catalog.editable(location);
    const kept = (await this.catalog.stackFiles(location))
      .map((f) => f.path)
      .filter((p) => !input.remove.includes(p));
    if (location.source === 'berth' && !hasComposeFile([...kept, ...Object.keys(input.files)]))
      throw noCompose();
    await this.history.change(location, by, input.message ?? null, async () => {
      for (const [path, content] of Object.entries(input.files))
        await this.catalog.store.write(folder, path, content);
      for (const path of input.remove) await this.catalog.store.remove(folder, path);
    });
    return this.get(hostId, name);
  }

  async readFile(
    hostId: string,
    name: string,
    path: string,
  ): Promise<{ path: string; content: string }> {
    const location = await this.catalog.require(hostId, name);
    const content = await this.catalog.store.read(this.catalog.editable(location), path);
    if (content === null)
      throw AppError.notFound('file_not_found', `No file ${path} in stack "${name}"`);
    return { path, content };
  }

  async writeFile(
    hostId: string,
    name: string,
    path: string,
    content: string,
    by: string | null,
  ): Promise<{ path: string; content: string }> {
    const location = await this.catalog.require(hostId, name);
    const folder = this.catalog.editable(location);
    await this.history.change(location, by, `wrote ${path}`, () =>
      this.catalog.store.write(folder, path, content),
    );
    return { path, content };
  }

  async historyOf(hostId: string, name: string) {
    return this.history.list(await this.catalog.require(hostId, name));
  }

  async versionOf(hostId: string, name: string, id: number) {
    return this.history.version(await this.catalog.require(hostId, name), id);
  }

  async restore(hostId: string, name: string, id: number, by: string | null): Promise<StackDetail> {
    const location = await this.catalog.require(hostId, name);
    await this.history.restore(location, id, by);
    return this.get(hostId, name);
  }

  /** Takes over a compose CLI project: its files stay where they are. */
  async adopt(hostId: string, name: string, by: string | null): Promise<StackDetail> {
    const location = await this.catalog.require(hostId, name);
    if (location.source !== 'external')
      throw AppError.conflict('stack_not_external', `"${name}" is Berth's already`);
    const engine = location.engine;
    if (!engine || engine.workingDir === null || !(await this.catalog.adoptable(engine)))
      throw new AppError(
        422,
        'stack_not_adoptable',
        `The compose files of "${name}" (${engine?.configFiles.join(', ') || 'none named'}) cannot be read on Berth's machine`,
      );
    const adoption = {
      stack: name,
      workingDir: engine.workingDir,
      configFiles: engine.configFiles,
      adoptedAt: new Date((this.deps.now ?? Date.now)()).toISOString(),
      adoptedBy: by,
    };
    await this.catalog.repository.adopt(hostId, adoption);
    await this.history.record(await this.catalog.require(hostId, name), by, 'adopted');
    return this.get(hostId, name);
  }

  /** Deletes Berth's folder (an adopted stack's files stay: Berth only forgets it). */
  async remove(
    hostId: string,
    name: string,
    options: { down: boolean; volumes: boolean },
  ): Promise<void> {
    const location = await this.catalog.require(hostId, name);
    const folder = this.catalog.editable(location);
    const containers = location.engine?.containers ?? [];
    if (containers.length > 0 || options.volumes) {
      if (containers.length > 0 && !options.down)
        throw AppError.conflict(
          'stack_has_containers',
          `"${name}" has ${containers.length} container(s) (${containers.map((c) => c.name).join(', ')}): take it down first, or remove with ?down=true`,
        );
      const onProgress = this.deps.progress.reporter(hostId, name);
      const outcome = await this.deps.runtime.down(hostId, name, {
        removeVolumes: options.volumes,
        onProgress,
      });
      if (!outcome.ok)
        throw AppError.conflict(
          'stack_down_failed',
          `"${name}" did not come down: ${outcome.services
            .filter((s) => s.status === 'failed')
            .map((s) => `${s.service}: ${s.message ?? 'failed'}`)
            .join('; ')}`,
        );
    }
    if (location.source === 'berth') await this.catalog.store.removeFolder(folder);
    await this.catalog.repository.forgetStack(hostId, name);
  }
}
