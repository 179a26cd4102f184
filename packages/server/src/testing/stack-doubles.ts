import { join } from 'node:path';
import {
  ComposeProject,
  type ComposeIssue,
  type StackPlan,
  type StreamStackProgress,
} from '@berth/contract';
import { parseDocument } from 'yaml';
import type {
  LoadInput,
  LoadResult,
  PlanDraft,
  StackOutcome,
  StackRuntime,
} from '../modules/stacks/stack-ports.js';

/**
 * Test doubles for the stacks service's two seams, until the real loader and runtime are
 * merged: a loader for the simple files the tests write (image, restart, depends_on, scale),
 * and a runtime that records what it is asked and reports progress — for the tests of the
 * service's own logic (plans kept and refused, audit, cli, progress forwarding) only.
 */

const DISCOVERY = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

type RawService = {
  image?: string;
  restart?: string;
  scale?: number;
  depends_on?: string[] | Record<string, { condition?: string }>;
};

export async function testLoader(input: LoadInput): Promise<LoadResult> {
  let files = input.configFiles;
  let text: string | null = null;
  if (!files) {
    for (const name of DISCOVERY) {
      text = await input.read(join(input.workingDir, name));
      if (text !== null) {
        files = [join(input.workingDir, name)];
        break;
      }
    }
  } else if (files[0]) text = await input.read(files[0]);
  const file = files?.[0];
  const issue = (message: string, line: number | null = null): LoadResult => ({
    ok: false,
    issues: [
      {
        file: file ? file.slice(input.workingDir.length + 1) : 'compose.yaml',
        line,
        column: null,
        path: '',
        message,
      } satisfies ComposeIssue,
    ],
  });
  if (!file || text === null) return issue('no compose file');
  const doc = parseDocument(text, { prettyErrors: false });
  const [error] = doc.errors;
  if (error) return issue(error.message, error.linePos?.[0].line ?? null);
  const raw = (doc.toJS() ?? {}) as { services?: Record<string, RawService> };
  const services = Object.fromEntries(
    Object.entries(raw.services ?? {}).map(([name, s]) => {
      const deps = Array.isArray(s.depends_on)
        ? Object.fromEntries(s.depends_on.map((d) => [d, { condition: 'service_started' }]))
        : Object.fromEntries(
            Object.entries(s.depends_on ?? {}).map(([d, v]) => [
              d,
              { condition: v.condition ?? 'service_started' },
            ]),
          );
      return [name, { image: s.image, restart: s.restart, scale: s.scale ?? 1, depends_on: deps }];
    }),
  );
  const project = ComposeProject.parse({
    name: input.name,
    working_dir: input.workingDir,
    config_files: files,
    services,
  });
  return { ok: true, project, warnings: [] };
}

/** A runtime that changes nothing: it plans every service as `create` and answers as told. */
export class RecordingRuntime implements StackRuntime {
  readonly calls: { method: string; project: string; args?: unknown }[] = [];
  /** What fingerprint() answers (tests move it to simulate an engine change). */
  fingerprintValue = 'engine-1';
  /** What apply and the others answer. */
  outcome: StackOutcome = { ok: true, services: [] };

  plan(hostId: string, project: ComposeProject): Promise<PlanDraft> {
    this.calls.push({ method: 'plan', project: project.name });
    return Promise.resolve({
      plan: {
        host: hostId,
        stack: project.name,
        resources: [],
        services: Object.keys(project.services).map((service) => ({
          service,
          action: 'create' as const,
          changes: [],
          containers: [
            { name: `${project.name}-${service}-1`, action: 'create' as const, changes: [] },
          ],
          image: 'present' as const,
        })),
        unchanged: false,
      },
      fingerprint: this.fingerprintValue,
    });
  }

  fingerprint(): Promise<string> {
    return Promise.resolve(this.fingerprintValue);
  }

  apply(
    _hostId: string,
    project: ComposeProject,
    plan: StackPlan,
    options: { onProgress: (event: StreamStackProgress) => void },
  ): Promise<StackOutcome> {
    this.calls.push({ method: 'apply', project: project.name, args: plan.planId });
    for (const s of plan.services) options.onProgress(this.event('up', s.service, 'done'));
    return Promise.resolve(this.outcome);
  }

  down(
    _hostId: string,
    projectName: string,
    options: { removeVolumes: boolean; onProgress: (event: StreamStackProgress) => void },
  ): Promise<StackOutcome> {
    this.calls.push({ method: 'down', project: projectName, args: options.removeVolumes });
    options.onProgress(this.event('down', null, 'done'));
    return Promise.resolve(this.outcome);
  }

  control(
    _hostId: string,
    project: ComposeProject | string,
    operation: 'start' | 'stop' | 'restart',
    options: { services?: string[] },
  ): Promise<StackOutcome> {
    const name = typeof project === 'string' ? project : project.name;
    this.calls.push({ method: operation, project: name, args: options.services });
    return Promise.resolve(this.outcome);
  }

  pull(_hostId: string, project: ComposeProject): Promise<StackOutcome> {
    this.calls.push({ method: 'pull', project: project.name, args: Object.keys(project.services) });
    return Promise.resolve(this.outcome);
  }

  /** The host and stack are the service's to fill in: the runtime's events carry placeholders. */
  private event(
    operation: StreamStackProgress['operation'],
    service: string | null,
    step: string,
  ): StreamStackProgress {
    return {
      type: 'stack',
      host: '',
      stack: '',
      operation,
      service,
      container: null,
      step,
      message: null,
    };
  }
}
