import type { ComposeProject, ComposeService, MountSpec } from '@berth/contract';
import { invalid, unsupported } from './compose-values.js';

/** A secret or config with inline content (or a variable's value), copied in before the start. */
export interface FileCopy {
  /** Absolute path inside the container. */
  path: string;
  content: string;
  uid: number;
  gid: number;
  mode: number;
}

type Kind = 'secrets' | 'configs';
type Reference = NonNullable<ComposeService['secrets']>[number];

/** Where compose puts it: secrets under /run/secrets/, configs at the root, unless a target says. */
function targetOf(kind: Kind, ref: Reference): string {
  const name = ref.target ?? ref.source;
  if (name.startsWith('/')) return name;
  return kind === 'secrets' ? `/run/secrets/${name}` : `/${name}`;
}

function objectOf(project: ComposeProject, kind: Kind, ref: Reference, at: string) {
  const object = project[kind][ref.source];
  if (!object) throw invalid(`${at}.source`, `"${ref.source}" is not in the top-level ${kind}`);
  return object;
}

function numericId(at: string, value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value)) throw invalid(at, 'a numeric user or group id');
  return Number(value);
}

function each(
  service: ComposeService,
  visit: (kind: Kind, ref: Reference, at: string) => void,
  path: string,
): void {
  for (const kind of ['secrets', 'configs'] as const)
    (service[kind] ?? []).forEach((ref, i) => visit(kind, ref, `${path}.${kind}[${i}]`));
}

/** Secrets and configs from files: bind-mounted read-only, as compose does without swarm. */
export function fileMounts(
  path: string,
  project: ComposeProject,
  service: ComposeService,
): MountSpec[] {
  const mounts: MountSpec[] = [];
  each(
    service,
    (kind, ref, at) => {
      const object = objectOf(project, kind, ref, at);
      if (object.file === undefined) {
        if (object.content === undefined)
          throw unsupported(`${kind}.${ref.source}`, `an external ${kind.slice(0, -1)} (swarm)`);
        return;
      }
      if (ref.uid ?? ref.gid ?? ref.mode)
        throw unsupported(at, 'uid, gid and mode on a file source (a bind keeps the file’s own)');
      mounts.push({
        type: 'bind',
        source: object.file,
        target: targetOf(kind, ref),
        readOnly: true,
      });
    },
    path,
  );
  return mounts;
}

/**
 * Secrets and configs with content (`content:`, or `environment:` whose value the loader
 * read): written into the container after it is created and before it starts, with the
 * long syntax's uid, gid and mode (0444 by default), as compose does without swarm.
 */
export function fileCopies(
  path: string,
  project: ComposeProject,
  service: ComposeService,
): FileCopy[] {
  const copies: FileCopy[] = [];
  each(
    service,
    (kind, ref, at) => {
      const object = objectOf(project, kind, ref, at);
      if (object.file !== undefined || object.content === undefined) return;
      if (ref.mode !== undefined && (ref.mode < 0 || ref.mode > 0o7777))
        throw invalid(`${at}.mode`, 'a file mode between 0 and 0o7777');
      copies.push({
        path: targetOf(kind, ref),
        content: object.content,
        uid: numericId(`${at}.uid`, ref.uid),
        gid: numericId(`${at}.gid`, ref.gid),
        mode: ref.mode ?? 0o444,
      });
    },
    path,
  );
  return copies;
}
