import { relative } from 'node:path';
import type { ComposeProject, SwarmStackSource, SwarmUnsupported } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { SWARM_IGNORED } from '../stacks/compose/swarm-deploy.js';
import { invalidFiles, type StackCatalog } from '../stacks/stack-catalog.js';
import type { SwarmFileObject } from './stack-to-swarm.js';

export interface LoadedSource {
  project: ComposeProject;
  /** Keys the loader found that a swarm stack ignores (links, …), for the plan's list. */
  ignored: SwarmUnsupported[];
  /** Digest per file read (see StackCatalog.loadProject), to tell whether the files moved. */
  reads: Record<string, string | null>;
  /** The `-c` files of the equivalent `docker stack deploy`. */
  composeFiles: string[];
  /** The data of a secret or config, base64, as the Engine API takes it. */
  data(object: SwarmFileObject): Promise<string>;
}

/**
 * A swarm stack's files: a Berth stack of the host (loaded and interpolated by the stacks
 * module's loader, under the namespace's name), optionally with files given inline over them.
 */
export class SwarmStackSources {
  constructor(private readonly catalog: StackCatalog) {}

  async load(hostId: string, namespace: string, source: SwarmStackSource): Promise<LoadedSource> {
    let folder: string;
    let configFiles: string[] | undefined;
    if (source.stack !== undefined) {
      const location = await this.catalog.require(hostId, source.stack);
      folder = this.catalog.editable(location);
      configFiles = location.configFiles;
    } else {
      // Inline files alone: a folder Berth never creates (a stack name has no dot), so nothing on disk is read.
      folder = `${this.catalog.store.folder(hostId, namespace)}.inline`;
    }
    const overlay = source.files ?? {};
    const { result, reads } = await this.catalog.loadProject(
      { hostId, name: namespace, folder, configFiles },
      { overlay, swarm: true },
    );
    if (!result.ok) throw invalidFiles(result.issues);
    const ignored = result.warnings
      .filter((w) => w.message.endsWith(SWARM_IGNORED))
      .map((w) => {
        const [, service = null, ...rest] = w.path.split('.');
        return { service, field: rest.join('.'), message: w.message };
      });
    const inline = source.stack === undefined;
    const data = async (object: SwarmFileObject): Promise<string> => {
      if (object.content !== undefined) return Buffer.from(object.content).toString('base64');
      const file = object.file ?? '';
      const text =
        overlay[relative(folder, file)] ??
        (inline ? null : await this.catalog.store.readConfined(folder, file));
      if (text === null)
        throw new AppError(
          422,
          'swarm_stack_file_missing',
          `The file of ${object.key} (${relative(folder, file)}) is not in the stack`,
          { issues: [{ field: 'body.source', message: `missing ${relative(folder, file)}` }] },
        );
      return Buffer.from(text).toString('base64');
    };
    return {
      project: result.project,
      ignored,
      reads,
      composeFiles: result.project.config_files.map((f) => (inline ? relative(folder, f) : f)),
      data,
    };
  }
}
