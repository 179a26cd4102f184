import {
  api,
  ContainerRecreate,
  ContainerSpec,
  splitShellWords,
  type ContainerCreated,
} from '@berth/contract';
import type { Command } from 'commander';
import type { z } from 'zod';
import { change } from '../core/change.js';
import { collect, sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';

type Spec = Record<string, unknown>;

/** The kind of a spec field (string, number, boolean, array, record, object, …), from the schema. */
function kindOf(field: string): string {
  const shape = ContainerSpec.shape as Record<string, z.ZodType | undefined>;
  let schema = shape[field];
  if (!schema) throw new UsageError(`"${field}" is not a container spec field`);
  while (schema.def.type === 'optional' || schema.def.type === 'default')
    schema = (schema.def as unknown as { innerType: z.ZodType }).innerType;
  return schema.def.type;
}

function valueOf(field: string, kind: string, text: string): unknown {
  if (kind === 'string' || kind === 'enum') return text;
  if (kind === 'number') {
    const number = Number(text);
    if (text.trim() === '' || Number.isNaN(number))
      throw new UsageError(`--set ${field}: "${text}" is not a number`);
    return number;
  }
  if (kind === 'boolean') {
    if (text !== 'true' && text !== 'false')
      throw new UsageError(`--set ${field}: "${text}" is not true or false`);
    return text === 'true';
  }
  if (kind === 'array' && !text.trimStart().startsWith('[')) return splitShellWords(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: the schema, checked below, says what is wrong with the text as it is.
    return text;
  }
}

/**
 * Applies `--set field=value`, `--set env.NAME=value` and `--unset field|env.NAME` to the
 * container's spec. Answers the fields that changed (with the merged maps), and whether a top-
 * level field was cleared, which needs the whole spec to be sent.
 */
export function applyChanges(
  current: Spec,
  sets: readonly string[],
  unsets: readonly string[],
): { patch: Spec; cleared: boolean } {
  const patch: Spec = {};
  const mapOf = (field: string): Record<string, string> => {
    const map = (patch[field] ?? current[field] ?? {}) as Record<string, string>;
    return { ...map };
  };
  for (const assignment of sets) {
    const eq = assignment.indexOf('=');
    if (eq < 0) throw new UsageError(`--set ${assignment}: write it as field=value`);
    const path = assignment.slice(0, eq);
    const text = assignment.slice(eq + 1);
    const dot = path.indexOf('.');
    const field = dot < 0 ? path : path.slice(0, dot);
    const kind = kindOf(field);
    if (dot >= 0) {
      if (kind !== 'record') throw new UsageError(`--set ${path}: ${field} is not a map`);
      patch[field] = { ...mapOf(field), [path.slice(dot + 1)]: text };
    } else patch[field] = valueOf(field, kind, text);
  }
  let cleared = false;
  for (const path of unsets) {
    const dot = path.indexOf('.');
    const field = dot < 0 ? path : path.slice(0, dot);
    const kind = kindOf(field);
    if (dot >= 0) {
      if (kind !== 'record') throw new UsageError(`--unset ${path}: ${field} is not a map`);
      const map = mapOf(field);
      delete map[path.slice(dot + 1)];
      patch[field] = map;
    } else {
      if (field === 'image') throw new UsageError('--unset image: a container needs its image');
      patch[field] = undefined;
      cleared = true;
    }
  }
  return { patch, cleared };
}

/** The body's own problems, named by field, before anything is sent. */
function checked(body: Spec): ContainerRecreate {
  const parsed = ContainerRecreate.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new UsageError(
    parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
  );
}

interface RecreateOptions {
  set?: string[];
  unset?: string[];
  pull?: boolean;
  validate?: string;
}

export function registerRecreate(program: Command): void {
  program
    .command('recreate')
    .description(
      'Recreate a container with changed options (the old one is restored if the new one fails)',
    )
    .argument('<name>', 'The container')
    .option(
      '--set <field=value>',
      'Change a spec field: image=…, env.NAME=…, labels.K=… (repeatable)',
      collect,
    )
    .option('--unset <field>', 'Clear a spec field or a map entry: env.NAME (repeatable)', collect)
    .option('--pull', 'Pull the image first (a newer one under the same tag)')
    .option('--validate <seconds>', 'Watch so long after start before keeping it (default 10)')
    .action(async (name: string, options: RecreateOptions, command: Command) => {
      const session = sessionOf(command);
      const params = { host: session.host, id: name };
      const detail = await session.client.containers.get({ params });
      const current: Spec = { ...detail.spec };
      if (detail.environment !== null) current.environment ??= detail.environment;
      const { patch, cleared } = applyChanges(current, options.set ?? [], options.unset ?? []);
      if (Object.keys(patch).length === 0 && !options.pull)
        throw new UsageError('nothing to change: give --set, --unset or --pull');
      const validateSeconds =
        options.validate === undefined ? undefined : Number.parseInt(options.validate, 10);
      const whole = { ...current, ...patch };
      for (const key of Object.keys(whole)) if (whole[key] === undefined) delete whole[key];
      const body = checked({
        ...(cleared ? { ...whole, replace: true } : patch),
        ...(validateSeconds !== undefined ? { validateSeconds } : {}),
      });
      const image = (whole.image as string | undefined) ?? detail.image;
      if (options.pull) {
        const pull = { image, wait: true };
        await change(
          session,
          {
            docker: ['docker', 'pull', image],
            route: api.images.pull,
            input: { params: { host: session.host }, body: pull },
          },
          () => session.client.images.pull({ params: { host: session.host }, body: pull }),
        );
      }
      // docker has no recreate: the nearest is removing it and running the new spec.
      const docker = session.dryRun
        ? [
            ['docker', 'rm', '--force', detail.name],
            splitShellWords(
              (
                await session.client.containers.preview({
                  params: { host: session.host },
                  query: { except: detail.id },
                  body: ContainerSpec.parse(whole),
                })
              ).cli,
            ),
          ]
        : [];
      const created: ContainerCreated | null = await change(
        session,
        {
          docker,
          route: api.containers.recreate,
          input: { params, body },
        },
        () => session.client.containers.recreate({ params, body }),
      );
      if (!created) return;
      for (const warning of created.warnings) io.err(`warning: ${warning}`);
      if (created.validation && !created.validation.ok)
        throw new CliError(`${created.container.name}: ${created.validation.message}`);
      io.out(
        `container/${created.container.name} recreated (${created.container.id.slice(0, 12)})`,
      );
    });
}
