import type { SecretBox } from '../../core/crypto.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { ContainerLogsService } from '../containers/container-logs.js';
import type { ContainerStreamsService } from '../containers/container-streams.js';
import { StackCatalog, type Load } from './stack-catalog.js';
import { StackLogs } from './stack-logs.js';
import { StackOperations } from './stack-operations.js';
import type { StackRuntime } from './stack-ports.js';
import type { StackProgressFeed } from './stack-progress.js';
import { StackStore } from './stack-store.js';
import { StackVariablesRepository } from './stack-variables-repository.js';
import { StackVariablesService } from './stack-variables.js';
import { StacksRepository } from './stacks-repository.js';
import { StacksService } from './stacks-service.js';

/** Berth's compose engine: the loader (files → project) and the runtime (project → engine). */
export interface StackEngine {
  load: Load;
  runtime: StackRuntime;
}

/** Stacks: folders on disk, their history, plans and apply through the given loader and runtime. */
export function stackServices(deps: {
  hosts: EngineHosts;
  /** The database, handed on to the repositories (the one place queries are made). */
  db: ConstructorParameters<typeof StacksRepository>[0];
  stacksDir: string;
  box: SecretBox;
  engine: StackEngine;
  progress: StackProgressFeed;
  logs: ContainerLogsService;
  streams: ContainerStreamsService;
  now: () => number;
}) {
  const variables = new StackVariablesService(
    deps.hosts,
    new StackVariablesRepository(deps.db),
    deps.box,
  );
  const catalog = new StackCatalog(
    deps.hosts,
    new StackStore(deps.stacksDir),
    new StacksRepository(deps.db),
    deps.engine.load,
    (hostId) => variables.env(hostId),
  );
  return {
    variables,
    catalog,
    stacks: new StacksService({
      catalog,
      runtime: deps.engine.runtime,
      progress: deps.progress,
      now: deps.now,
    }),
    operations: new StackOperations(
      catalog,
      deps.engine.runtime,
      deps.progress,
      (hostId) => variables.secretValues(hostId),
      deps.now,
    ),
    logs: new StackLogs(deps.hosts, catalog, deps.logs, deps.streams),
  };
}
