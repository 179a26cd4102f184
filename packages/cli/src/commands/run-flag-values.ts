import { readFileSync } from 'node:fs';
import { parseGoDuration, parseSize, type ContainerCreate, type MountSpec } from '@berth/contract';
import { UsageError } from '../core/errors.js';
import type { GlobalOptions } from '../core/session.js';

/** What `berth run`'s words become: the create body, and what the CLI itself does. */
export interface RunRequest {
  body: ContainerCreate;
  detach: boolean;
  /** --rm: remove the container once it has exited (attached runs only). */
  remove: boolean;
  validateSeconds: number | null;
  /** Program options given after `run` (--dry-run, -H, …). */
  globals: GlobalOptions;
  help: boolean;
}

export type Draft = Omit<RunRequest, 'body'> & { body: Partial<ContainerCreate> };

/** One flag of `berth run`: its names, whether it takes a value, what it does to the draft. */
export interface RunFlag {
  long: string;
  short?: string;
  /** The value's name in the help (`--name <name>`); none for a switch. */
  value?: string;
  help: string;
  apply: (value: string, draft: Draft, flag: string) => void;
}

export function bad(flag: string, value: string, expected: string): never {
  throw new UsageError(`${flag}: "${value}" is not ${expected}`);
}

export function keyValue(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}

export function size(flag: string, value: string): number {
  return parseSize(value) ?? bad(flag, value, 'a size such as 512m');
}

export function seconds(flag: string, value: string): number {
  const nanos = parseGoDuration(value);
  return nanos === null ? bad(flag, value, 'a duration such as 30s') : nanos / 1e9;
}

export function integer(flag: string, value: string): number {
  return /^-?\d+$/.test(value) ? Number(value) : bad(flag, value, 'a whole number');
}

export function push<K extends keyof ContainerCreate>(
  draft: Draft,
  key: K,
  ...values: unknown[]
): void {
  const current = (draft.body[key] as unknown[] | undefined) ?? [];
  (draft.body as Record<string, unknown>)[key] = [...current, ...values];
}

export function setEnv(draft: Draft, line: string): void {
  const [name, value] = keyValue(line);
  // `-e NAME` takes the value from this environment, as docker does; unset, it is left out.
  const given = value ?? process.env[name];
  if (given !== undefined) draft.body.env = { ...draft.body.env, [name]: given };
}

export function envFile(value: string, draft: Draft, flag: string): void {
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag}: cannot read ${value}: ${(err as Error).message}`);
  }
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    setEnv(draft, line);
  }
}

/** `[ip:][hostPort:]containerPort[/protocol]`. */
export function publish(value: string, draft: Draft, flag: string): void {
  const match =
    /^(?:(?:\[([0-9a-fA-F:]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):)?(?:(\d*):)?(\d+)(?:\/(tcp|udp))?$/.exec(
      value,
    );
  if (!match) bad(flag, value, '[ip:][hostPort:]containerPort[/tcp|udp]');
  const [, ipv6, ipv4, hostPort, containerPort, protocol] = match;
  const hostIp = ipv6 ?? ipv4;
  push(draft, 'ports', {
    containerPort: Number(containerPort),
    ...(hostPort ? { hostPort: Number(hostPort) } : {}),
    protocol: protocol === 'udp' ? 'udp' : 'tcp',
    ...(hostIp ? { hostIp } : {}),
  });
}

/** `-v source:target[:ro]`: a path is a bind, a name a volume; `-v /target` an anonymous volume. */
export function volume(value: string, draft: Draft, flag: string): void {
  const parts = value.split(':');
  const [first = '', second, mode] = parts;
  if (parts.length > 3 || first === '') bad(flag, value, 'source:target[:ro]');
  if (second === undefined) {
    push(draft, 'mounts', { type: 'volume', target: first, readOnly: false });
    return;
  }
  const modes = (mode ?? '').split(',').filter(Boolean);
  const unknown = modes.find((m) => !['ro', 'rw', 'z', 'Z'].includes(m));
  if (unknown) bad(flag, value, 'source:target with the mode ro or rw');
  const readOnly = modes.includes('ro');
  const mount: MountSpec = first.startsWith('/')
    ? { type: 'bind', source: first, target: second, readOnly }
    : { type: 'volume', source: first, target: second, readOnly };
  push(draft, 'mounts', mount);
}

/** `--mount type=bind,source=/a,target=/b,readonly`. */
export function mount(value: string, draft: Draft, flag: string): void {
  const fields = Object.fromEntries(
    value.split(',').map((field) => {
      const [key, given] = keyValue(field);
      return [key.trim(), given ?? 'true'];
    }),
  );
  const type = fields.type ?? 'volume';
  const source = fields.source ?? fields.src;
  const target = fields.target ?? fields.destination ?? fields.dst;
  const readOnly = ['true', '1'].includes(fields.readonly ?? fields.ro ?? 'false');
  if (!target) bad(flag, value, 'a mount with a target');
  if (type === 'bind') {
    if (!source) bad(flag, value, 'a bind mount with a source');
    push(draft, 'mounts', { type, source, target, readOnly });
  } else if (type === 'volume') {
    push(draft, 'mounts', { type, ...(source ? { source } : {}), target, readOnly });
  } else if (type === 'tmpfs') {
    const bytes = fields['tmpfs-size'];
    push(draft, 'mounts', {
      type,
      target,
      ...(bytes ? { sizeBytes: size(flag, bytes) } : {}),
    });
  } else bad(flag, value, 'a mount of type bind, volume or tmpfs');
}

/** `--tmpfs /run[:size=64m]`. */
export function tmpfs(value: string, draft: Draft, flag: string): void {
  const [target = '', options = ''] = value.split(':');
  const sizeOption = options
    .split(',')
    .map((o) => keyValue(o))
    .find(([k]) => k === 'size')?.[1];
  push(draft, 'mounts', {
    type: 'tmpfs',
    target,
    ...(sizeOption ? { sizeBytes: size(flag, sizeOption) } : {}),
  });
}

/** The network an address or alias applies to: the last --network given. */
export function lastNetwork(
  draft: Draft,
  flag: string,
): NonNullable<ContainerCreate['networks']>[number] {
  const network = draft.body.networks?.at(-1);
  if (!network) throw new UsageError(`${flag} needs a --network (before it) to apply to`);
  return network;
}

export function restart(value: string, draft: Draft, flag: string): void {
  const [name = '', retries] = value.split(':');
  if (!['no', 'always', 'unless-stopped', 'on-failure'].includes(name))
    bad(flag, value, 'no, always, unless-stopped or on-failure[:N]');
  draft.body.restartPolicy = {
    name: name as 'no',
    ...(retries !== undefined ? { maximumRetryCount: integer(flag, retries) } : {}),
  };
}

export function health(draft: Draft): NonNullable<ContainerCreate['healthcheck']> {
  draft.body.healthcheck ??= { test: ['NONE'] };
  return draft.body.healthcheck;
}

export function resources(draft: Draft): NonNullable<ContainerCreate['resources']> {
  draft.body.resources ??= {};
  return draft.body.resources;
}

export function capability(value: string): string {
  return value.toUpperCase().replace(/^CAP_/, '');
}

export function set<K extends keyof ContainerCreate>(
  key: K,
  map: (v: string, flag: string) => unknown,
) {
  return (value: string, draft: Draft, flag: string) => {
    (draft.body as Record<string, unknown>)[key] = map(value, flag);
  };
}
export const text = (v: string): string => v;
export const on = (): boolean => true;
export function list<K extends keyof ContainerCreate>(key: K, map: (v: string) => unknown = text) {
  return (value: string, draft: Draft) => push(draft, key, map(value));
}
