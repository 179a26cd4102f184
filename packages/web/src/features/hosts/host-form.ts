import type {
  Host,
  HostConnectFailure,
  HostCreate,
  HostKind,
  HostTestResult,
  HostUpdate,
} from '@berth/contract';

/** What the add and edit dialogs hold while the admin types. */
export interface HostDraft {
  name: string;
  kind: HostKind;
  url: string;
  insecure: boolean;
  ca: string;
  cert: string;
  key: string;
  /** ssh: false uses the SSH agent of Berth's machine. */
  useKey: boolean;
  privateKey: string;
  passphrase: string;
  /** Comma- or space-separated. */
  labels: string;
}

export const NEW_HOST: HostDraft = {
  name: '',
  kind: 'tcp',
  url: '',
  insecure: false,
  ca: '',
  cert: '',
  key: '',
  useKey: true,
  privateKey: '',
  passphrase: '',
  labels: '',
};

export const URL_PLACEHOLDER: Record<HostKind, string> = {
  socket: 'unix:///var/run/docker.sock',
  tcp: 'tcp://10.0.0.5:2376',
  ssh: 'ssh://deploy@10.0.0.5:22',
  agent: '',
};

/** The draft of an existing host: how it is reached and its labels; key material is never shown. */
export function draftOf(host: Host): HostDraft {
  return {
    ...NEW_HOST,
    name: host.id,
    kind: host.kind,
    url: host.url,
    insecure: host.insecure,
    useKey: host.ssh?.keyConfigured ?? true,
    labels: host.labels.join(', '),
  };
}

export function parseLabels(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

const tlsOf = (d: HostDraft) =>
  d.ca || d.cert || d.key ? { tls: { ca: d.ca, cert: d.cert, key: d.key } } : {};

function sshOf(d: HostDraft, hostKey: string | undefined) {
  const key = d.useKey && d.privateKey ? { privateKey: d.privateKey } : {};
  const passphrase = d.useKey && d.passphrase ? { passphrase: d.passphrase } : {};
  const pinned = hostKey ? { hostKey } : {};
  return { ssh: { ...key, ...passphrase, ...pinned } };
}

/** The connection part of a definition: what a kind needs, nothing of the other kinds. */
function connection(d: HostDraft, hostKey: string | undefined) {
  const base = { kind: d.kind, url: d.url.trim() };
  if (d.kind === 'tcp') return { ...base, ...(d.insecure ? { insecure: true } : tlsOf(d)) };
  if (d.kind === 'ssh') return { ...base, ...sshOf(d, hostKey) };
  return base;
}

/** The body of POST /api/hosts (and of its test). An agent host is a name and labels. */
export function createBody(
  d: HostDraft,
  options: { hostKey?: string | undefined; allowDuplicate?: boolean } = {},
): HostCreate {
  if (d.kind === 'agent')
    return { name: d.name.trim(), kind: 'agent', labels: parseLabels(d.labels) };
  return {
    name: d.name.trim(),
    ...connection(d, options.hostKey),
    labels: parseLabels(d.labels),
    ...(options.allowDuplicate ? { allowDuplicate: true } : {}),
  };
}

/**
 * The body of PATCH /api/hosts/:host. TLS files left empty keep the stored bundle; an ssh key
 * left empty keeps the stored key (or the agent). An agent host changes only its labels.
 */
export function updateBody(
  d: HostDraft,
  options: { hostKey?: string | undefined; allowDuplicate?: boolean } = {},
): HostUpdate {
  if (d.kind === 'agent') return { labels: parseLabels(d.labels) };
  const tls = d.kind === 'tcp' && !d.insecure ? tlsOf(d) : {};
  const ssh = d.kind === 'ssh' ? sshOf(d, options.hostKey).ssh : {};
  return {
    kind: d.kind,
    url: d.url.trim(),
    ...tls,
    ...(d.kind === 'tcp' ? { insecure: d.insecure } : {}),
    ...(Object.keys(ssh).length > 0 ? { ssh } : {}),
    labels: parseLabels(d.labels),
    ...(options.allowDuplicate ? { allowDuplicate: true } : {}),
  };
}

/** Quotes a value for a POSIX shell when it needs it. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The docker CLI's way to reach the same engine: `docker context create`. TLS files are named
 * as the docker docs name them (ca.pem, cert.pem, key.pem): the CLI reads files, not pasted PEM.
 * None for an agent host: the docker CLI cannot reach an engine that dials out.
 */
export function dockerContextCommand(d: HostDraft): string | null {
  if (d.kind === 'agent') return null;
  const name = d.name.trim() || '<name>';
  let url = d.url.trim() || URL_PLACEHOLDER[d.kind];
  if (d.kind === 'socket' && url.startsWith('/')) url = `unix://${url}`;
  const parts = [`host=${url}`];
  if (d.kind === 'tcp' && !d.insecure) parts.push('ca=ca.pem', 'cert=cert.pem', 'key=key.pem');
  return `docker context create ${shellQuote(name)} --docker ${shellQuote(parts.join(','))}`;
}

/** One reason a host was not reached, in plain words. */
export const FAILURE_TEXT: Record<HostConnectFailure, string> = {
  refused: 'The connection was refused: nothing listens at that address and port.',
  no_socket: 'There is no Docker socket at that path on the Berth machine.',
  tls_verify_failed: "The engine's certificate could not be verified with that CA or name.",
  client_cert_rejected: "The engine did not accept Berth's client certificate.",
  not_docker: 'Something answered, but it is not a Docker engine.',
  timeout: 'The engine did not answer in time.',
  unreachable: 'The address cannot be reached from the Berth machine.',
  ssh_auth_failed: 'The SSH server did not accept the key (or the agent had no key it took).',
  host_key_mismatch: 'The SSH host key is not the pinned one: the remote changed, or is not it.',
  host_key_unconfirmed: 'Confirm the SSH host key fingerprint before adding the host.',
  engine_not_found:
    'SSH worked, but no Docker engine answered on the remote (docker system dial-stdio).',
};

/** The one-line summary of a successful test. */
export function testSummary(result: Extract<HostTestResult, { ok: true }>): string {
  const { engine, hardware } = result;
  const memory = `${(hardware.memoryBytes / 1024 ** 3).toFixed(1)} GiB`;
  return `Docker ${engine.version} (API ${engine.apiVersion}) · engine ID ${engine.id} · ${hardware.profile} (${hardware.cpus} CPUs, ${memory}, ${hardware.arch})`;
}
