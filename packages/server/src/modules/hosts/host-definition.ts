import type { HostKind, HostSshInput, HostTlsInput } from '@berth/contract';
// ssh2 is CommonJS whose `utils` Node's ESM loader cannot name: read it off the default export.
import ssh2 from 'ssh2';
import { AppError } from '../../core/errors.js';
import type { EngineEndpoint } from '../../docker/engine-endpoint.js';

/** How a host is reached, as the admin gives it (create, or stored plus a change). */
export interface ConnectionInput {
  kind: HostKind;
  url?: string | undefined;
  tls?: HostTlsInput | undefined;
  ssh?: HostSshInput | undefined;
  insecure?: boolean | undefined;
}

const EXAMPLE_URL = {
  socket: 'unix:///var/run/docker.sock',
  tcp: 'tcp://10.0.0.5:2376',
  ssh: 'ssh://docker@10.0.0.5',
} as const;

export function invalid(field: string, message: string): AppError {
  return AppError.badRequest('validation_failed', `Invalid request: body.${field}: ${message}`, {
    issues: [{ field: `body.${field}`, message }],
  });
}

/**
 * The endpoint a definition names, or a 400 naming the field: a socket is an absolute path
 * (`unix:///…` or bare); tcp is `tcp://host:port` with the TLS bundle, or without it only when
 * `insecure: true` says plain TCP is meant.
 */
export function endpointOf(input: ConnectionInput): EngineEndpoint {
  if (input.kind === 'agent')
    throw invalid('kind', 'an agent host is reached through its agent, not an address');
  if (input.ssh && input.kind !== 'ssh') throw invalid('ssh', 'only an ssh host takes SSH keys');
  if (input.url === undefined)
    throw invalid('url', `a ${input.kind} host needs its address (${EXAMPLE_URL[input.kind]})`);
  const address = input.url;
  if (input.kind === 'socket') {
    const path = address.startsWith('unix://') ? address.slice('unix://'.length) : address;
    if (!path.startsWith('/') || path.includes('\0'))
      throw invalid('url', 'a socket is an absolute path: unix:///var/run/docker.sock');
    if (input.tls) throw invalid('tls', 'a socket host takes no TLS material');
    if (input.insecure) throw invalid('insecure', 'a socket host is never plain TCP');
    return { transport: 'unix', socketPath: path };
  }
  if (input.kind === 'ssh') return sshEndpointOf(input, address);
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw invalid('url', 'is not an address like tcp://10.0.0.5:2376');
  }
  if (url.protocol !== 'tcp:') throw invalid('url', 'a tcp host is tcp://host:port');
  if (!url.hostname) throw invalid('url', 'names no host');
  if (!url.port) throw invalid('url', 'names no port (the engine listens on 2376 with TLS)');
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.username)
    throw invalid('url', 'is only tcp://host:port');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port);
  if (input.insecure) {
    if (input.tls) throw invalid('insecure', 'plain TCP takes no TLS material: drop one of them');
    return { transport: 'tcp', host, port, tls: null };
  }
  if (!input.tls)
    throw invalid('tls', 'a tcp host needs its CA, client certificate and key (or insecure: true)');
  return {
    transport: 'tcp',
    host,
    port,
    tls: {
      ca: Buffer.from(input.tls.ca),
      cert: Buffer.from(input.tls.cert),
      key: Buffer.from(input.tls.key),
    },
  };
}

/**
 * `ssh://user@host[:port]` (22 by default) with a private key (and its passphrase) that must
 * parse, or none: the SSH agent of Berth's machine. The pinned host key is null when not given
 * (a test learns it; adding refuses without it).
 */
function sshEndpointOf(input: ConnectionInput, address: string): EngineEndpoint {
  if (input.tls) throw invalid('tls', 'an ssh host takes no TLS material');
  if (input.insecure) throw invalid('insecure', 'an ssh host is never plain TCP');
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw invalid('url', 'is not an address like ssh://docker@10.0.0.5');
  }
  if (url.protocol !== 'ssh:') throw invalid('url', 'an ssh host is ssh://user@host[:port]');
  if (!url.hostname) throw invalid('url', 'names no host');
  if (!url.username) throw invalid('url', 'names no user: ssh://user@host[:port]');
  if (url.password) throw invalid('url', 'takes no password: give a private key in ssh.privateKey');
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash)
    throw invalid('url', 'is only ssh://user@host[:port]');
  const ssh = input.ssh ?? {};
  if (ssh.passphrase !== undefined && ssh.privateKey === undefined)
    throw invalid('ssh.passphrase', 'goes with a private key (ssh.privateKey)');
  if (ssh.privateKey !== undefined) {
    const parsed = ssh2.utils.parseKey(ssh.privateKey, ssh.passphrase);
    if (parsed instanceof Error) {
      const field = /passphrase|decrypt/i.test(parsed.message)
        ? 'ssh.passphrase'
        : 'ssh.privateKey';
      throw invalid(field, `cannot be used: ${parsed.message}`);
    }
  }
  return {
    transport: 'ssh',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 22,
    user: decodeURIComponent(url.username),
    privateKey: ssh.privateKey !== undefined ? Buffer.from(ssh.privateKey) : null,
    passphrase: ssh.passphrase ?? null,
    hostKey: ssh.hostKey ?? null,
  };
}

/** The URL as stored and shown: `unix:///path`, `tcp://host:port`, `ssh://user@host:port`, `agent://id`. */
export function canonicalUrl(endpoint: EngineEndpoint): string {
  if (endpoint.transport === 'unix') return `unix://${endpoint.socketPath}`;
  if (endpoint.transport === 'agent') return `agent://${endpoint.hostId}`;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  if (endpoint.transport === 'ssh') return `ssh://${endpoint.user}@${host}:${endpoint.port}`;
  return `tcp://${host}:${endpoint.port}`;
}
