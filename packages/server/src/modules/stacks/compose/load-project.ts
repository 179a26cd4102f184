import * as path from 'node:path';
import { ComposeProject, type ComposeIssue } from '@berth/contract';
import { AppError } from '../../../core/errors.js';
import { inheritEnvironmentTag, stackEnvironmentTag } from '../convert/environment-tag.js';
import type { LoadInput, LoadResult } from '../stack-ports.js';
import { DotenvError, parseDotenv } from './dotenv.js';
import type { Lookup } from './interpolate.js';
import { isMap } from './merge.js';
import { loadFileSet } from './file-set.js';
import { applyProfiles } from './profiles.js';
import { normalizeProject } from './normalize.js';
import { issueInDocs } from './paths.js';
import type { FileContext } from './compose-files.js';
import { asText, type JsonMap } from './yaml-load.js';

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

const failed = (issues: ComposeIssue[]): LoadResult => ({ ok: false, issues });

/** Compose's discovery: the first of compose.yaml … docker-compose.yaml, then its override file. */
async function discover(input: LoadInput): Promise<string[] | null> {
  for (const name of DEFAULT_FILES) {
    const file = path.join(input.workingDir, name);
    if ((await input.read(file)) === null) continue;
    const stem = name.replace(/\.ya?ml$/, '');
    for (const ext of ['yaml', 'yml']) {
      const override = path.join(input.workingDir, `${stem}.override.${ext}`);
      if ((await input.read(override)) !== null) return [file, override];
    }
    return [file];
  }
  return null;
}

/** Env files named by the services, read once each (null when missing). */
async function readEnvFiles(
  services: JsonMap,
  input: LoadInput,
): Promise<Map<string, string | null>> {
  const files = new Map<string, string | null>();
  for (const service of Object.values(services)) {
    if (!isMap(service)) continue;
    const list =
      service.env_file === undefined
        ? []
        : Array.isArray(service.env_file)
          ? service.env_file
          : [service.env_file];
    for (const entry of list) {
      const file = isMap(entry) ? asText(entry.path) : asText(entry);
      const absolute = path.resolve(input.workingDir, file);
      if (!files.has(absolute)) files.set(absolute, await input.read(absolute));
    }
  }
  return files;
}

/**
 * A stack's compose files → the canonical project: load (YAML), interpolate (Berth's global
 * variables < the stack's `.env`), validate each file against the compose-spec schema, merge
 * (includes, extends, override files), apply profiles, normalize. Every problem found is
 * returned as an issue naming the file, line and path.
 */
export async function loadProject(input: LoadInput): Promise<LoadResult> {
  const workingDir = path.resolve(input.workingDir);
  const globalEnv = input.env ?? {};
  let dotenv: Record<string, string> = {};
  const dotenvFile = path.join(workingDir, '.env');
  const dotenvText = await input.read(dotenvFile);
  if (dotenvText !== null) {
    try {
      dotenv = parseDotenv(dotenvText, (name) => globalEnv[name]);
    } catch (error) {
      if (!(error instanceof DotenvError)) throw error;
      return failed([
        { file: '.env', line: error.line, column: null, path: '', message: error.message },
      ]);
    }
  }
  const vars: Record<string, string> = { ...globalEnv, ...dotenv };
  vars.COMPOSE_PROJECT_NAME ??= input.name;
  const lookup: Lookup = (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
  const warnings: ComposeIssue[] = [];
  if (vars.COMPOSE_PROJECT_NAME !== input.name) {
    warnings.push({
      file: '.env',
      line: null,
      column: null,
      path: 'COMPOSE_PROJECT_NAME',
      message: `the project is named after the stack, "${input.name}"; COMPOSE_PROJECT_NAME "${vars.COMPOSE_PROJECT_NAME}" is not used`,
    });
  }
  let configFiles = input.configFiles?.map((f) => path.resolve(workingDir, f));
  if (!configFiles && vars.COMPOSE_FILE) {
    const separator = vars.COMPOSE_PATH_SEPARATOR ?? ':';
    configFiles = vars.COMPOSE_FILE.split(separator)
      .filter((f) => f !== '')
      .map((f) => path.resolve(workingDir, f));
  }
  configFiles ??= (await discover({ ...input, workingDir })) ?? undefined;
  if (!configFiles || configFiles.length === 0) {
    return failed([
      {
        file: 'compose.yaml',
        line: null,
        column: null,
        path: '',
        message: `no compose file: expected one of ${DEFAULT_FILES.join(', ')}`,
      },
    ]);
  }
  const ctx: FileContext = { read: input.read, workingDir, issues: [], docs: [] };
  const merged = await loadFileSet(ctx, configFiles, workingDir, lookup);
  if (!merged || ctx.issues.length > 0) return failed(ctx.issues);
  if (typeof merged.name === 'string' && merged.name !== input.name) {
    warnings.push(
      issueInDocs(
        ctx.docs,
        'name',
        `the project is named after the stack, "${input.name}"; name "${merged.name}" is not used`,
      ),
    );
  }
  if (merged.version !== undefined)
    warnings.push(issueInDocs(ctx.docs, 'version', 'version is obsolete and ignored'));
  const profiles = [
    ...(input.profiles ?? []),
    ...(vars.COMPOSE_PROFILES ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  ];
  const services = isMap(merged.services) ? merged.services : {};
  const applied = applyProfiles(services, profiles, ctx.docs);
  warnings.push(...applied.warnings);
  const normalized = normalizeProject({
    name: input.name,
    workingDir,
    configFiles,
    services: applied.services,
    disabled: applied.disabled,
    top: merged,
    lookup,
    envFiles: await readEnvFiles(applied.services, { ...input, workingDir }),
    docs: ctx.docs,
    ...(input.swarm ? { swarm: true } : {}),
  });
  warnings.push(...normalized.ignored);
  // Every problem at once, so the editor shows them all: one per place, the profiles' first.
  const issues: ComposeIssue[] = [];
  const within = (a: string, b: string) =>
    a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  for (const issue of [...applied.issues, ...normalized.issues]) {
    const same = issues.some(
      (o) => o.file === issue.file && (within(o.path, issue.path) || within(issue.path, o.path)),
    );
    if (!same) issues.push(issue);
  }
  if (issues.length > 0) return failed(issues);
  const parsed = ComposeProject.safeParse(normalized.project);
  if (!parsed.success) {
    return failed(
      parsed.error.issues.map((issue) =>
        issueInDocs(ctx.docs, issue.path.map(String).join('.'), issue.message),
      ),
    );
  }
  // `x-berth: {environment: …}` at the top: every service's containers carry the tag's label.
  let tag: string | undefined;
  try {
    tag = stackEnvironmentTag(merged);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return failed([issueInDocs(ctx.docs, 'x-berth.environment', err.message)]);
  }
  return { ok: true, project: inheritEnvironmentTag(parsed.data, tag), warnings };
}
