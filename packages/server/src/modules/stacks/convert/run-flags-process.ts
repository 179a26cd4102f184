import { appendField, keyValue, type ServiceDraft, setEntry } from './run-draft.js';
import {
  badValue,
  durationSeconds,
  integerOf,
  type RunFlag,
  switchOn,
  unsupported,
} from './run-flag.js';

/** The flags of a container's identity, process, environment, health, labels and logging. */

function compose(key: string) {
  return (value: string, draft: ServiceDraft) => {
    draft.compose[key] = value;
  };
}

function composeSwitch(key: string) {
  return (value: string, draft: ServiceDraft) => {
    if (switchOn(value)) draft.compose[key] = true;
    else delete draft.compose[key];
  };
}

function list(key: string) {
  return (value: string, draft: ServiceDraft) => appendField(draft, key, value);
}

function health(draft: ServiceDraft) {
  draft.spec.healthcheck ??= { test: [] };
  return draft.spec.healthcheck;
}

const HEALTH_DURATIONS = [
  ['health-interval', 'intervalS'],
  ['health-timeout', 'timeoutS'],
  ['health-start-period', 'startPeriodS'],
] as const;

const healthFlags: RunFlag[] = [
  {
    names: ['health-cmd'],
    value: true,
    apply: (value, draft) => {
      health(draft).test = ['CMD-SHELL', value];
    },
  },
  ...HEALTH_DURATIONS.map(([name, field]): RunFlag => ({
    names: [name],
    value: true,
    apply: (value, draft, flag) => {
      const seconds = durationSeconds(value);
      if (seconds === null) badValue(draft, flag, value, 'a duration such as 30s');
      else health(draft)[field] = seconds;
    },
  })),
  {
    names: ['health-start-interval'],
    value: true,
    apply: (value, draft, flag) => {
      if (durationSeconds(value) === null) badValue(draft, flag, value, 'a duration such as 5s');
      else setEntry(draft, 'healthcheck', 'start_interval', value);
    },
  },
  {
    names: ['health-retries'],
    value: true,
    apply: (value, draft, flag) => {
      const retries = integerOf(draft, flag, value);
      if (retries !== null) health(draft).retries = retries;
    },
  },
  {
    names: ['no-healthcheck'],
    value: false,
    apply: (value, draft) => {
      if (switchOn(value)) draft.spec.healthcheck = { test: ['NONE'] };
    },
  },
];

function restart(value: string, draft: ServiceDraft, flag: string): void {
  const [name = '', retries] = value.split(':');
  if (name !== 'no' && name !== 'always' && name !== 'unless-stopped' && name !== 'on-failure') {
    badValue(draft, flag, value, 'no, always, unless-stopped or on-failure[:retries]');
    return;
  }
  const count = retries === undefined ? undefined : integerOf(draft, flag, retries);
  draft.spec.restartPolicy = {
    name,
    ...(name === 'on-failure' && count ? { maximumRetryCount: count } : {}),
  };
}

function env(value: string, draft: ServiceDraft): void {
  const [name, given] = keyValue(value);
  // `-e NAME` passes the variable from the shell; compose's `NAME:` (null) does the same.
  if (given === undefined) setEntry(draft, 'environment', name, null);
  else draft.spec.env = { ...draft.spec.env, [name]: given };
}

function label(value: string, draft: ServiceDraft): void {
  const [name, given] = keyValue(value);
  draft.spec.labels = { ...draft.spec.labels, [name]: given ?? '' };
}

function logOption(value: string, draft: ServiceDraft, flag: string): void {
  const [name, given] = keyValue(value);
  if (given === undefined) return badValue(draft, flag, value, 'key=value');
  const log = (draft.spec.logConfig ??= { driver: '' });
  log.options = { ...log.options, [name]: given };
}

export const processFlags: RunFlag[] = [
  // Compose runs every service detached, and a quiet pull changes nothing in the file.
  { names: ['detach'], short: 'd', value: false, apply: () => undefined },
  { names: ['quiet'], short: 'q', value: false, apply: () => undefined },
  {
    names: ['name'],
    value: true,
    apply: (value, draft) => {
      draft.spec.name = value;
    },
  },
  {
    names: ['hostname'],
    short: 'h',
    value: true,
    apply: (value, draft) => {
      draft.spec.hostname = value;
    },
  },
  { names: ['domainname'], value: true, apply: compose('domainname') },
  {
    names: ['user'],
    short: 'u',
    value: true,
    apply: (value, draft) => {
      draft.spec.user = value;
    },
  },
  {
    names: ['workdir'],
    short: 'w',
    value: true,
    apply: (value, draft) => {
      draft.spec.workingDir = value;
    },
  },
  { names: ['env'], short: 'e', value: true, apply: env },
  { names: ['env-file'], value: true, apply: list('env_file') },
  { names: ['label'], short: 'l', value: true, apply: label },
  { names: ['label-file'], value: true, apply: list('label_file') },
  {
    names: ['entrypoint'],
    value: true,
    apply: (value, draft) => {
      // An empty --entrypoint clears the image's.
      draft.spec.entrypoint = value === '' ? [] : [value];
    },
  },
  { names: ['interactive'], short: 'i', value: false, apply: composeSwitch('stdin_open') },
  { names: ['tty'], short: 't', value: false, apply: composeSwitch('tty') },
  { names: ['init'], value: false, apply: composeSwitch('init') },
  { names: ['read-only'], value: false, apply: composeSwitch('read_only') },
  { names: ['restart'], value: true, apply: restart },
  { names: ['stop-signal'], value: true, apply: compose('stop_signal') },
  {
    names: ['stop-timeout'],
    value: true,
    apply: (value, draft, flag) => {
      const seconds = integerOf(draft, flag, value);
      if (seconds !== null) draft.spec.stopTimeoutS = seconds;
    },
  },
  ...healthFlags,
  {
    names: ['log-driver'],
    value: true,
    apply: (value, draft) => {
      draft.spec.logConfig = { ...draft.spec.logConfig, driver: value };
    },
  },
  { names: ['log-opt'], value: true, apply: logOption },
  { names: ['platform'], value: true, apply: compose('platform') },
  {
    names: ['pull'],
    value: true,
    apply: (value, draft, flag) => {
      if (['always', 'missing', 'never'].includes(value)) draft.compose.pull_policy = value;
      else badValue(draft, flag, value, 'always, missing or never');
    },
  },
  unsupported(
    ['rm'],
    false,
    'compose keeps a service\'s stopped containers; for a one-off run use "docker compose run --rm"; left out',
  ),
  unsupported(['cidfile'], true, 'compose writes no container id file; left out'),
  unsupported(
    ['detach-keys'],
    true,
    'a setting of the attached client, not of the service; left out',
  ),
  unsupported(
    ['sig-proxy'],
    false,
    'a setting of the attached client, not of the service; left out',
  ),
  unsupported(['attach'], true, 'compose attaches to every service it runs; left out', 'a'),
  unsupported(['disable-content-trust'], false, 'compose has no content trust setting; left out'),
  unsupported(['annotation'], true, 'compose has no annotations; left out'),
];
