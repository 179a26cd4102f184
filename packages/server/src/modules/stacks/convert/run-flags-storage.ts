import type { MountSpec } from '@berth/contract';
import { addMount, appendField, type ServiceDraft, setEntry, warn } from './run-draft.js';
import { badValue, csvFields, type RunFlag, sizeOf, switchOn, unsupported } from './run-flag.js';

/** The flags of binds, volumes, mounts and tmpfs. */

/** Options of `-v` compose's short syntax also reads; `ro` and `rw` are the mount's readOnly. */
const SHORT_OPTIONS = new Set([
  'z',
  'Z',
  'nocopy',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'private',
  'rprivate',
  'consistent',
  'cached',
  'delegated',
]);

/** As docker decides: a source that is not a volume name is a host path. */
function isPath(source: string): boolean {
  return !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(source);
}

/** The shell's current folder, as READMEs write it; in compose, the stack folder is `.`. */
const CURRENT_FOLDER = /^(\$\(pwd\)|\$\{PWD\}|\$PWD|`pwd`)(?=\/|$)/;

/** Short-syntax options a mount keeps beyond ro: the emitter writes them after the target. */
export const mountOptions = new WeakMap<MountSpec, string[]>();

function volume(value: string, draft: ServiceDraft, flag: string): void {
  const [given = '', target, options, ...extra] = value.split(':');
  const source = given.replace(CURRENT_FOLDER, '.');
  if (source !== given) {
    warn(
      draft,
      flag,
      `${given} is the shell's folder; compose reads ${source} from the stack folder`,
    );
  }
  if (extra.length > 0 || source === '') {
    return badValue(draft, flag, value, 'source:target[:options]');
  }
  if (target === undefined) {
    addMount(draft, { type: 'volume', target: source, readOnly: false });
    return;
  }
  const flags = options === undefined || options === '' ? [] : options.split(',');
  const kept = flags.filter((o) => SHORT_OPTIONS.has(o));
  for (const option of flags.filter((o) => !SHORT_OPTIONS.has(o) && o !== 'ro' && o !== 'rw')) {
    warn(draft, flag, `the mount option "${option}" has no compose form; left out`);
  }
  const readOnly = flags.includes('ro');
  const mount: MountSpec = isPath(source)
    ? { type: 'bind', source, target, readOnly }
    : { type: 'volume', source, target, readOnly };
  if (kept.length > 0) mountOptions.set(mount, kept);
  addMount(draft, mount);
}

/** `--mount type=…,source=…,target=…,readonly,…`: a CSV record. */
function mount(value: string, draft: ServiceDraft, flag: string): void {
  const fields = new Map<string, string>();
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=');
    fields.set(eq < 0 ? field : field.slice(0, eq), eq < 0 ? 'true' : field.slice(eq + 1));
  }
  const take = (...keys: string[]): string | undefined => {
    const key = keys.find((k) => fields.has(k));
    const found = key === undefined ? undefined : fields.get(key);
    for (const k of keys) fields.delete(k);
    return found;
  };
  const type = take('type') ?? 'volume';
  const source = take('source', 'src');
  const target = take('target', 'destination', 'dst');
  const readOnlyText = take('readonly', 'ro');
  const readOnly = readOnlyText !== undefined && switchOn(readOnlyText);
  if (!target) return badValue(draft, flag, value, 'a mount with a target');
  const kept: string[] = [];
  let made: MountSpec;
  if (type === 'bind' && source) {
    const propagation = take('bind-propagation');
    if (propagation) kept.push(propagation);
    made = { type: 'bind', source, target, readOnly };
  } else if (type === 'volume') {
    if (take('volume-nocopy') !== undefined) kept.push('nocopy');
    made = { type: 'volume', ...(source ? { source } : {}), target, readOnly };
  } else if (type === 'tmpfs') {
    const sizeText = take('tmpfs-size');
    const sizeBytes = sizeText === undefined ? null : sizeOf(draft, flag, sizeText);
    made = { type: 'tmpfs', target, ...(sizeBytes ? { sizeBytes } : {}) };
  } else {
    return badValue(draft, flag, value, 'a bind (with a source), volume or tmpfs mount');
  }
  for (const key of fields.keys()) {
    warn(draft, flag, `the mount option "${key}" of ${target} has no compose form here; left out`);
  }
  if (kept.length > 0) mountOptions.set(made, kept);
  addMount(draft, made);
}

function storageOption(value: string, draft: ServiceDraft, flag: string): void {
  const eq = value.indexOf('=');
  if (eq <= 0) return badValue(draft, flag, value, 'key=value');
  setEntry(draft, 'storage_opt', value.slice(0, eq), value.slice(eq + 1));
}

export const storageFlags: RunFlag[] = [
  { names: ['volume'], short: 'v', value: true, apply: volume },
  { names: ['mount'], value: true, apply: mount },
  {
    names: ['tmpfs'],
    value: true,
    apply: (value, draft) => appendField(draft, 'tmpfs', value),
  },
  {
    names: ['volumes-from'],
    value: true,
    apply: (value, draft) => appendField(draft, 'volumes_from', `container:${value}`),
  },
  { names: ['storage-opt'], value: true, apply: storageOption },
  unsupported(
    ['volume-driver'],
    true,
    'compose sets a driver per volume (volumes.<name>.driver); left out',
  ),
];
