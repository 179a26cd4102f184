import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentTunnel } from './agent-tunnel.js';
import type { SshTarget } from './ssh-connection.js';

export interface TlsMaterial {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Where one engine is reached: directly, over SSH, or through the agent beside it. */
export type EngineEndpoint =
  | { transport: 'unix'; socketPath: string }
  | { transport: 'tcp'; host: string; port: number; tls: TlsMaterial | null }
  | ({ transport: 'ssh' } & SshTarget)
  | { transport: 'agent'; hostId: string; tunnel: AgentTunnel };

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/**
 * Parses a DOCKER_HOST-style address. For tcp, TLS material comes from a directory holding
 * ca.pem, cert.pem and key.pem (DOCKER_CERT_PATH), as the docker CLI does.
 */
export function parseDockerHost(address: string, certPath?: string): EngineEndpoint {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new Error(
      `"${address}" is not an address like unix:///var/run/docker.sock or tcp://host:2376`,
    );
  }
  if (url.protocol === 'unix:') {
    const socketPath = decodeURIComponent(url.pathname);
    if (!socketPath.startsWith('/'))
      throw new Error(`unix socket path must be absolute in "${address}"`);
    return { transport: 'unix', socketPath };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'https:' || url.protocol === 'http:') {
    if (!url.hostname) throw new Error(`no host name in "${address}"`);
    const tls = certPath ? readTlsMaterial(certPath) : null;
    const defaultPort = tls ? 2376 : 2375;
    const port = url.port ? Number(url.port) : defaultPort;
    return { transport: 'tcp', host: url.hostname, port, tls };
  }
  throw new Error(`unsupported scheme "${url.protocol}" in "${address}": use unix:// or tcp://`);
}

function readTlsMaterial(dir: string): TlsMaterial {
  return {
    ca: readFileSync(join(dir, 'ca.pem')),
    cert: readFileSync(join(dir, 'cert.pem')),
    key: readFileSync(join(dir, 'key.pem')),
  };
}

export function describeEndpoint(endpoint: EngineEndpoint): string {
  if (endpoint.transport === 'unix') return `unix://${endpoint.socketPath}`;
  if (endpoint.transport === 'agent') return `agent://${endpoint.hostId}`;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  if (endpoint.transport === 'ssh') return `ssh://${endpoint.user}@${host}:${endpoint.port}`;
  return `tcp://${endpoint.host}:${endpoint.port}`;
}
