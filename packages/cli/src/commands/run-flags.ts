import type { ContainerCreate } from '@berth/contract';
import { UsageError } from '../core/errors.js';
import { bad, type Draft, type RunFlag, type RunRequest } from './run-flag-values.js';
import { RUN_FLAGS } from './run-flags-table.js';
import { UNSUPPORTED_RUN_FLAGS } from './run-unsupported.js';

export type { RunRequest } from './run-flag-values.js';

const byLong = new Map(RUN_FLAGS.map((f) => [f.long, f]));
const byShort = new Map(RUN_FLAGS.flatMap((f) => (f.short ? [[f.short, f] as const] : [])));

function unknownFlag(flag: string): never {
  const name = flag.replace(/^-+/, '');
  const why = UNSUPPORTED_RUN_FLAGS.get(name);
  if (why !== undefined)
    throw new UsageError(
      `${flag} is a docker run flag Berth does not support${why ? `: ${why}` : ''}`,
    );
  throw new UsageError(`unknown flag ${flag} (berth run --help lists the flags)`);
}

/**
 * Reads `berth run`'s words as docker run reads them: options (clusters like -dit, values
 * inline as --name=web or -p8080:80, or as the next word) up to the image, then the image and
 * the command with its own arguments untouched. A flag Berth does not support is an error
 * naming it, never silently dropped.
 */
export function parseRunArgs(argv: readonly string[]): RunRequest {
  const draft: Draft = {
    body: {},
    detach: false,
    remove: false,
    validateSeconds: null,
    globals: {},
    help: false,
  };
  let i = 0;
  const apply = (flag: RunFlag, spelled: string, inline: string | undefined): void => {
    if (flag.value === undefined) {
      if (inline !== undefined && !['true', '1'].includes(inline)) {
        if (['false', '0'].includes(inline)) return;
        bad(spelled, inline, 'true or false');
      }
      return flag.apply('true', draft, spelled);
    }
    const value = inline ?? argv[(i += 1)];
    if (value === undefined) throw new UsageError(`${spelled} needs a value (<${flag.value}>)`);
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
      const flag = byLong.get(name) ?? unknownFlag(`--${name}`);
      apply(flag, `--${name}`, eq < 0 ? undefined : word.slice(eq + 1));
      continue;
    }
    for (let j = 1; j < word.length; j += 1) {
      const letter = word.charAt(j);
      const flag = byShort.get(letter) ?? unknownFlag(`-${letter}`);
      if (word[j + 1] === '=' || (flag.value !== undefined && j + 1 < word.length)) {
        apply(flag, `-${letter}`, word.slice(j + 1).replace(/^=/, ''));
        break;
      }
      apply(flag, `-${letter}`, undefined);
    }
  }
  const [image, ...command] = argv.slice(i);
  if (draft.help) return { ...draft, body: { image: image ?? '' } as ContainerCreate };
  if (image === undefined)
    throw new UsageError('berth run needs an image (berth run [flags] IMAGE [COMMAND...])');
  if (draft.remove && draft.detach)
    throw new UsageError(
      '--rm with --detach is not supported: Berth removes a container only after an attached run',
    );
  const body = {
    ...draft.body,
    image,
    ...(command.length > 0 ? { command } : {}),
    autoStart: true,
    validateSeconds: draft.validateSeconds ?? 0,
  } as ContainerCreate;
  return { ...draft, body };
}

/** The flags, as `berth run --help` lists them. */
export function runFlagsHelp(): string {
  const rows = RUN_FLAGS.map((f) => [
    `${f.short ? `-${f.short}, ` : '    '}--${f.long}${f.value ? ` <${f.value}>` : ''}`,
    f.help,
  ]);
  const width = Math.max(...rows.map(([left = '']) => left.length)) + 2;
  return rows.map(([left = '', right = '']) => `  ${left.padEnd(width)}${right}`).join('\n');
}
