import { ComposeProject, type Role, type StreamStackProgress } from '@berth/contract';
import type { EngineClient } from '../../../../docker/engine-client.js';
import { filtersParam } from '../../../../docker/engine-client.js';
import type { RawEvent } from '../../../../docker/engine-types.js';
import { readNdjson } from '../../../../docker/ndjson.js';
import type { TestApp } from '../../../../testing/test-app.js';
import { COMPOSE_PROJECT } from '../../compose-labels.js';
import type { StackOutcome } from '../../stack-ports.js';
import { ComposeRuntime } from '../compose-runtime.js';

/** A project as the loader would give it, defaults applied by the contract's schema. */
export function project(
  name: string,
  services: Record<string, Record<string, unknown>>,
  rest: Record<string, unknown> = {},
): ComposeProject {
  return ComposeProject.parse({
    name,
    working_dir: `/tmp/stacks/${name}`,
    config_files: [`/tmp/stacks/${name}/compose.yaml`],
    services,
    ...rest,
  });
}

export function runtimeFor(t: TestApp): ComposeRuntime {
  return new ComposeRuntime({
    hosts: t.hosts,
    creator: t.services.containerCreator,
    volumePolicy: t.services.hostSecurity,
    registries: t.services.registries,
    contentKey: Buffer.alloc(32, 7),
  });
}

/** plan, then apply that plan; with the progress events it sent. */
export async function up(
  runtime: ComposeRuntime,
  p: ComposeProject,
  role: Role = 'admin',
): Promise<{ outcome: StackOutcome; progress: StreamStackProgress[] }> {
  const draft = await runtime.plan('local', p);
  const progress: StreamStackProgress[] = [];
  const outcome = await runtime.apply(
    'local',
    p,
    { ...draft.plan, planId: 'test', createdAt: new Date().toISOString() },
    { role, onProgress: (e) => progress.push(e) },
  );
  return { outcome, progress };
}

export async function down(
  runtime: ComposeRuntime,
  name: string,
  removeVolumes = true,
): Promise<void> {
  await runtime.down('local', name, { removeVolumes, onProgress: () => undefined });
}

/** The engine's own record of a project's container events between two times (no waiting: `until` ends the stream). */
export async function engineEvents(
  client: EngineClient,
  name: string,
  sinceS: number,
): Promise<RawEvent[]> {
  const res = await client.stream('GET', '/events', {
    query: {
      since: String(sinceS),
      until: (Date.now() / 1000).toFixed(3),
      filters: filtersParam({ type: ['container'], label: [`${COMPOSE_PROJECT}=${name}`] }),
    },
  });
  const events: RawEvent[] = [];
  for await (const event of readNdjson<RawEvent>(res)) events.push(event);
  return events;
}

export function listProject(client: EngineClient, name: string) {
  const filter = { label: [`${COMPOSE_PROJECT}=${name}`] };
  return Promise.all([client.listContainers(filter), client.listNetworks(filter)]);
}
