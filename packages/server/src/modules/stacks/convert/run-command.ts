import { imageReferenceProblem, splitShellWords } from '@berth/contract';
import { AppError } from '../../../core/errors.js';
import { emptyDraft, type ServiceDraft, warn } from './run-draft.js';
import type { RunFlag } from './run-flag.js';
import { limitFlags } from './run-flags-limits.js';
import { networkFlags, settleEndpoint } from './run-flags-network.js';
import { processFlags } from './run-flags-process.js';
import { storageFlags } from './run-flags-storage.js';

/**
 * Reads a `docker run` command as a shell would split it into the draft of a compose service.
 * Every flag docker run has is known here, so an unknown one is named in the warnings; flags
 * compose has no field for are named too. Nothing is executed or expanded.
 */

const FLAGS = [...processFlags, ...networkFlags, ...storageFlags, ...limitFlags];
const byLong = new Map(FLAGS.flatMap((flag) => flag.names.map((name) => [name, flag] as const)));
const byShort = new Map(FLAGS.flatMap((flag) => (flag.short ? [[flag.short, flag] as const] : [])));

/** Words before the options: the program, `container`, `run`/`create`. */
const PROGRAMS = new Set(['docker', 'podman', 'nerdctl']);

function commandProblem(message: string): AppError {
  return AppError.badRequest('not_docker_run', message, {
    issues: [{ field: 'body.command', message }],
  });
}

/**
 * READMEs mark optional lines with `` `#optional` ``: a command substitution holding only a
 * comment, which a shell expands to nothing.
 */
const COMMENT_WORD = /^`\s*#[^`]*`$/;

function words(command: string): string[] {
  try {
    return splitShellWords(command).filter((word) => !COMMENT_WORD.test(word));
  } catch (err) {
    throw commandProblem(`the command has ${(err as Error).message}`);
  }
}

/** Drops `sudo docker container run`; refuses another docker command. */
function optionWords(all: string[]): string[] {
  let i = 0;
  if (all[i] === 'sudo') i += 1;
  if (PROGRAMS.has(all[i] ?? '')) {
    i += 1;
    if (all[i] === 'container') i += 1;
    if (all[i] !== 'run' && all[i] !== 'create') {
      throw commandProblem(
        `only docker run (or create) converts, not "${all.slice(0, i + 1).join(' ')}"`,
      );
    }
    i += 1;
  } else if (all[i] === 'run' || all[i] === 'create') i += 1;
  return all.slice(i);
}

/** The draft of a service; `spec.image` and `spec.command` are the image and its arguments. */
export function parseDockerRun(command: string): ServiceDraft {
  const argv = optionWords(words(command));
  const draft = emptyDraft();
  let i = 0;
  const apply = (flag: RunFlag, spelled: string, inline: string | undefined): void => {
    if (!flag.value) return flag.apply(inline ?? 'true', draft, spelled);
    const value = inline ?? argv[(i += 1)];
    if (value === undefined) return warn(draft, spelled, 'needs a value; left out');
    flag.apply(value, draft, spelled);
  };
  for (; i < argv.length; i += 1) {
    const word = argv[i] ?? '';
    if (word === '--') {
      i += 1;
      break;
    }
    if (!word.startsWith('-') || word === '-') break;
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq < 0 ? undefined : eq);
      const flag = byLong.get(name);
      const inline = eq < 0 ? undefined : word.slice(eq + 1);
      if (flag) apply(flag, `--${name}`, inline);
      else {
        const near = nearestFlag(name);
        // A misspelt flag that takes a value takes it still, so the image stays the image.
        const skipped = near?.value && inline === undefined ? argv[(i += 1)] : undefined;
        unknown(draft, `--${name}`, inline ?? skipped, near?.names[0]);
      }
      continue;
    }
    // A cluster of short flags (-dit), the last of which may take a value (-p8080:80, -e=A).
    for (let j = 1; j < word.length; j += 1) {
      const letter = word.charAt(j);
      const flag = byShort.get(letter);
      if (!flag) {
        unknown(draft, `-${letter}`, undefined, undefined);
        continue;
      }
      if (word[j + 1] === '=' || (flag.value && j + 1 < word.length)) {
        apply(flag, `-${letter}`, word.slice(j + 1).replace(/^=/, ''));
        break;
      }
      apply(flag, `-${letter}`, undefined);
    }
  }
  const [image, ...args] = argv.slice(i);
  if (image === undefined) {
    throw AppError.badRequest('no_image', 'the command names no image to run', {
      issues: [{ field: 'body.command', message: 'no image after the options' }],
    });
  }
  draft.spec.image = image;
  // Written as given (compose may interpolate it), but a reference no engine pulls is named.
  const problem = image.includes('$') ? null : imageReferenceProblem(image);
  if (problem) warn(draft, 'image', `"${image}" is not an image reference: ${problem}`);
  if (args.length > 0) draft.spec.command = args;
  settleEndpoint(draft);
  if (draft.spec.networks?.some((n) => n.name === 'host') && draft.spec.ports?.length) {
    warn(draft, '--publish', 'the host network publishes nothing: the ports are kept as given');
  }
  return draft;
}

function unknown(
  draft: ServiceDraft,
  flag: string,
  value: string | undefined,
  suggestion: string | undefined,
): void {
  const known = 'not a docker run option Berth knows';
  if (suggestion !== undefined) {
    const taken = value === undefined ? '' : ` (with its value "${value}")`;
    return warn(draft, flag, `${known}; did you mean --${suggestion}? Left out${taken}`);
  }
  if (value !== undefined) return warn(draft, flag, `${known}; left out`);
  warn(
    draft,
    flag,
    `${known}; left out (if it takes a value, write it as --flag=value, or the value is read as the image)`,
  );
}

/** The known flag a misspelt one most likely meant: one edit away, two for longer names. */
function nearestFlag(name: string): RunFlag | undefined {
  if (name.length < 3) return undefined;
  const most = name.length <= 5 ? 1 : 2;
  let best: { flag: RunFlag; distance: number } | undefined;
  for (const [known, flag] of byLong) {
    const distance = editDistance(name, known);
    if (distance <= most && (best === undefined || distance < best.distance))
      best = { flag, distance };
  }
  return best?.flag;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(
        Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
