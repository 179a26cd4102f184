import { z } from 'zod';
import { AgentJoin, AgentJoinRequest, AgentStatus } from './agent.js';
import { HostId, SshFingerprint } from './host-id.js';
import { HostSwarm } from './swarm.js';

export { HostId, HostParams, SshFingerprint } from './host-id.js';

export const HostTransport = z.enum(['unix', 'tcp', 'ssh', 'agent']);
export type HostTransport = z.infer<typeof HostTransport>;

export const HostCounts = z.object({
  containers: z.number().int(),
  running: z.number().int(),
  images: z.number().int(),
  networks: z.number().int(),
  volumes: z.number().int(),
});

export const HostKind = z.enum(['socket', 'tcp', 'ssh', 'agent']);
export type HostKind = z.infer<typeof HostKind>;

const Pem = (what: string) =>
  z
    .string()
    .min(1)
    .max(64 * 1024)
    .regex(/-----BEGIN [A-Z0-9 ]+-----/, `a PEM ${what} (-----BEGIN …-----)`);

export const HostTlsInput = z
  .strictObject({
    ca: Pem('CA certificate').describe("The CA that signed the engine's certificate"),
    cert: Pem('client certificate').describe("Berth's client certificate"),
    key: Pem('private key').describe("The client certificate's private key (sealed at rest)"),
  })
  .meta({ id: 'HostTlsInput' });
export type HostTlsInput = z.infer<typeof HostTlsInput>;

export const HostLabel = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, 'lowercase letters, digits, dots, dashes, at most 32');

export const HostSshInput = z
  .strictObject({
    privateKey: z
      .string()
      .min(1)
      .max(64 * 1024)
      .regex(/-----BEGIN [A-Z0-9 ]+-----/, 'a private key (-----BEGIN …-----)')
      .optional()
      .describe(
        "Berth's private key for the remote user (sealed at rest); without it, the SSH agent at SSH_AUTH_SOCK on Berth's machine",
      ),
    passphrase: z.string().max(1024).optional().describe('Of the private key (sealed at rest)'),
    hostKey: SshFingerprint.optional().describe(
      "The remote's host key fingerprint to pin, as the test showed it: required to add an ssh host",
    ),
  })
  .meta({ id: 'HostSshInput' });
export type HostSshInput = z.infer<typeof HostSshInput>;

const hostFields = {
  kind: HostKind.describe(
    'socket: a unix socket path on this machine; tcp: tcp://host:port; ssh: ssh://user@host:port; agent: an agent beside the engine dials out to Berth (the answer carries its join token)',
  ),
  url: z
    .string()
    .min(1)
    .max(1024)
    .optional()
    .describe(
      'unix:///path/docker.sock (or the bare path) for socket; tcp://host:port for tcp; ssh://user@host[:port] for ssh; none for agent',
    ),
  tls: HostTlsInput.optional().describe('CA, client certificate and key: required for tcp'),
  ssh: HostSshInput.optional().describe(
    'Key and pinned host key for ssh; the remote runs `docker system dial-stdio`',
  ),
  insecure: z
    .boolean()
    .optional()
    .describe('Plain TCP without TLS: anyone on the path can drive the engine'),
  labels: z.array(HostLabel).max(32).optional(),
  allowDuplicate: z
    .boolean()
    .optional()
    .describe('Add it even though another host reaches the same engine (same engine ID)'),
};

export const HostCreate = z
  .strictObject({
    name: HostId.describe("The host's id in every URL: /api/hosts/<name>/…"),
    ...hostFields,
    join: AgentJoinRequest.optional().describe(
      "For an agent host: the join token's lifetime and the URL its agent dials",
    ),
  })
  .meta({ id: 'HostCreate' });
export type HostCreate = z.infer<typeof HostCreate>;

/** A change: what is given replaces what is stored (tls: the whole bundle). */
export const HostUpdate = z
  .strictObject({
    kind: hostFields.kind.optional(),
    url: hostFields.url.optional(),
    tls: hostFields.tls,
    ssh: hostFields.ssh,
    insecure: hostFields.insecure,
    labels: hostFields.labels,
    allowDuplicate: hostFields.allowDuplicate,
  })
  .meta({ id: 'HostUpdate' });
export type HostUpdate = z.infer<typeof HostUpdate>;

export const HostRemoveQuery = z.strictObject({
  forget: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe(
      'Also remove what Berth stored for the host (environment tags, previous image tags, IP reservations, backup schedules, stack variables); kept by default',
    ),
});

export const Host = z
  .object({
    id: HostId,
    name: z.string(),
    kind: HostKind,
    url: z
      .string()
      .describe('unix:///var/run/docker.sock, tcp://host:port or ssh://user@host:port'),
    labels: z.array(z.string()),
    insecure: z.boolean().describe('Plain TCP: the engine is reached without TLS'),
    tls: z.object({
      configured: z.boolean(),
      serverName: z.string().nullable().describe("The name the engine's certificate must carry"),
    }),
    ssh: z
      .object({
        user: z.string(),
        hostKey: SshFingerprint.describe('The pinned host key: any other refuses to connect'),
        keyConfigured: z.boolean().describe("False: the SSH agent of Berth's machine is used"),
      })
      .nullable()
      .describe('For ssh hosts; never key material'),
    engineId: z.string().nullable().describe("The engine's own ID, once it was reached"),
    removable: z.boolean().describe('False for local, which comes from DOCKER_HOST'),
    transport: HostTransport,
    endpoint: z.string().describe('Where the engine is reached, e.g. unix:///var/run/docker.sock'),
    reachable: z.boolean(),
    since: z.iso.datetime().describe('When the host last became reachable or unreachable'),
    error: z.string().nullable().describe('Why the host is unreachable'),
    version: z.string().nullable(),
    apiVersion: z.string().nullable(),
    latencyMs: z.number().nullable().describe('Round trip of the last ping of the engine'),
    lastEventAt: z.iso.datetime().nullable().describe('When the engine last reported an event'),
    counts: HostCounts,
    agent: AgentStatus.nullable().describe('For agent hosts: pairing, key and connection'),
    swarm: HostSwarm.nullable()
      .optional()
      .describe("The engine's swarm membership, once known (null: not read yet)"),
  })
  .meta({ id: 'Host' });
export type Host = z.infer<typeof Host>;

/** A host just added; an agent host comes with the join token its agent pairs with. */
export const HostCreated = Host.extend({
  join: AgentJoin.optional().describe('For an agent host: shown once'),
}).meta({ id: 'HostCreated' });
export type HostCreated = z.infer<typeof HostCreated>;

export const HostList = z.object({ hosts: z.array(Host) });
export type HostList = z.infer<typeof HostList>;

export const HardwareProfileName = z.enum([
  'raspberry-pi',
  'low-end',
  'medium',
  'high-end',
  'enterprise',
]);
export type HardwareProfileName = z.infer<typeof HardwareProfileName>;

export const HardwareProfile = z
  .object({
    cpus: z.number().int().positive(),
    memoryBytes: z.number().int().nonnegative(),
    arch: z.string(),
    model: z.string().nullable().describe('Board model string, where the host exposes one'),
    isRaspberryPi: z.boolean(),
    profile: HardwareProfileName,
    recommendedContainers: z.number().int().describe('Above this, creating a container warns'),
    maxContainers: z.number().int().describe('Above this, creating a container is refused'),
  })
  .meta({ id: 'HardwareProfile' });
export type HardwareProfile = z.infer<typeof HardwareProfile>;

export const EngineSummary = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  osType: z.string(),
  kernelVersion: z.string(),
  architecture: z.string(),
  ncpu: z.number().int(),
  memTotal: z.number().int(),
  storageDriver: z.string(),
  cgroupDriver: z.string(),
  cgroupVersion: z.string(),
  dockerRootDir: z.string(),
  swarm: z.string().describe('Swarm node state: inactive, active, pending, error, locked'),
  containers: z.object({
    total: z.number().int(),
    running: z.number().int(),
    paused: z.number().int(),
    stopped: z.number().int(),
  }),
  images: z.number().int(),
  warnings: z.array(z.string()),
});
export type EngineSummary = z.infer<typeof EngineSummary>;

export const HostMemory = z
  .object({
    totalBytes: z.number().int().nonnegative(),
    availableBytes: z
      .number()
      .int()
      .nonnegative()
      .describe('Free memory plus page cache the kernel can reclaim (MemAvailable)'),
    usedBytes: z
      .number()
      .int()
      .nonnegative()
      .describe('Total minus available: page cache is not used'),
    cacheBytes: z
      .number()
      .int()
      .nonnegative()
      .describe('Page cache and buffers, counted as available'),
  })
  .meta({ id: 'HostMemory' });
export type HostMemory = z.infer<typeof HostMemory>;

export const HostInfo = z
  .object({
    host: HostId,
    engine: EngineSummary,
    hardware: HardwareProfile,
    memory: HostMemory.nullable().describe(
      'Memory of the machine the engine runs on, where Berth can read it (engines on this machine)',
    ),
  })
  .meta({ id: 'HostInfo' });
export type HostInfo = z.infer<typeof HostInfo>;

export const HostConnectFailure = z.enum([
  'refused',
  'no_socket',
  'tls_verify_failed',
  'client_cert_rejected',
  'not_docker',
  'timeout',
  'unreachable',
  'ssh_auth_failed',
  'host_key_mismatch',
  'host_key_unconfirmed',
  'engine_not_found',
]);
export type HostConnectFailure = z.infer<typeof HostConnectFailure>;

export const SshHostKey = z
  .object({
    algorithm: z.string().describe('e.g. ssh-ed25519'),
    fingerprint: SshFingerprint,
  })
  .meta({ id: 'SshHostKey' });
export type SshHostKey = z.infer<typeof SshHostKey>;

/** What testing a host definition found: the engine, or the one reason it was not reached. */
export const HostTestResult = z
  .discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      engine: z.object({
        id: z.string(),
        name: z.string(),
        version: z.string(),
        apiVersion: z.string(),
      }),
      hardware: HardwareProfile,
      duplicateOf: z.string().nullable().describe('Another host that reaches this same engine'),
      hostKey: SshHostKey.nullable().describe('For ssh: the key the remote showed, to pin'),
    }),
    z.object({
      ok: z.literal(false),
      reason: HostConnectFailure,
      message: z.string(),
      hostKey: SshHostKey.optional().describe(
        'For ssh, once the handshake got that far: the key the remote showed',
      ),
    }),
  ])
  .meta({ id: 'HostTestResult' });
export type HostTestResult = z.infer<typeof HostTestResult>;
