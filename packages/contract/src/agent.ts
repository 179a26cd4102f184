import { z } from 'zod';
import { HostId, SshFingerprint } from './host-id.js';

/**
 * The outbound agent: a process beside an engine Berth cannot reach that dials out to Berth
 * over one WebSocket and carries the Engine API inside an SSH session (channels multiplexed,
 * each with its own flow-control window). These are the frames before that session starts
 * and what Berth shows of an agent.
 */

/** `BERTH-AGENT-1-<pin>-<secret>`: the pin is the SHA-256 of Berth's TLS public key (hex). */
export const JOIN_TOKEN_PREFIX = 'BERTH-AGENT-1';

export const JoinToken = z
  .string()
  .regex(
    /^BERTH-AGENT-1-[0-9a-f]{64}-[0-9a-f]{64}$/,
    'a join token: BERTH-AGENT-1-<64 hex>-<64 hex>, as Berth showed it',
  );

/** The SHA-256 (hex) of the public key Berth's TLS certificate carries, and the secret. */
export function parseJoinToken(token: string): { pin: string; secret: string } | null {
  if (!JoinToken.safeParse(token).success) return null;
  const rest = token.slice(JOIN_TOKEN_PREFIX.length + 1);
  return { pin: rest.slice(0, 64), secret: rest.slice(65) };
}

export function formatJoinToken(pin: string, secret: string): string {
  return `${JOIN_TOKEN_PREFIX}-${pin}-${secret}`;
}

/** The pin as shown: `sha256:<hex>`, what `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum` prints. */
export function formatPin(pin: string): string {
  return `sha256:${pin}`;
}

/** What the agent refuses on its side, from its own config: Berth shows it, never sets it. */
export const AgentPolicy = z
  .object({
    readOnly: z
      .boolean()
      .describe('Only GET and HEAD reach the engine (lists, inspect, logs, stats, events)'),
    deniedPaths: z
      .array(z.string().min(1).max(256))
      .max(64)
      .describe(
        'Engine API paths refused, e.g. /containers/*/exec (* is one path segment, ** any)',
      ),
  })
  .meta({ id: 'AgentPolicy' });
export type AgentPolicy = z.infer<typeof AgentPolicy>;

/** What an agent says of itself when it connects. */
export const AgentSelf = z.object({
  version: z.string().max(64),
  hostname: z.string().max(255),
  engine: z.string().max(1024).describe('Where the agent reaches its engine'),
  policy: AgentPolicy,
});
export type AgentSelf = z.infer<typeof AgentSelf>;

/** An OpenSSH public key line: `ssh-ed25519 AAAA…`. */
export const AgentPublicKey = z
  .string()
  .max(8192)
  .regex(/^ssh-ed25519 [A-Za-z0-9+/]+={0,2}( .*)?$/, 'an ssh-ed25519 public key line');

/** The agent's first frame: pair with a join token and a new key, or come back with a key. */
export const AgentHello = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('pair'),
    token: JoinToken,
    publicKey: AgentPublicKey,
    agent: AgentSelf,
  }),
  z.strictObject({
    type: z.literal('hello'),
    host: HostId,
    /** The agent's key, and the one before it while a rotation is not yet confirmed. */
    keys: z.array(SshFingerprint).min(1).max(2),
    agent: AgentSelf,
  }),
]);
export type AgentHello = z.infer<typeof AgentHello>;

export const AgentRefusal = z.enum([
  'bad_hello',
  'token_unknown',
  'token_used',
  'token_expired',
  'agent_unknown',
  'agent_unpaired',
  'agent_revoked',
  'key_unknown',
  'handshake_failed',
  'replaced',
]);
export type AgentRefusal = z.infer<typeof AgentRefusal>;

/**
 * Berth's answer: go on with the SSH session, proving the key named (the host key the agent
 * serves), or a refusal and the socket closes. After the session starts, a refusal comes as
 * the close reason `<code>: <message>` with close code 4403.
 */
export const AgentWelcome = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), host: HostId, key: SshFingerprint }),
  z.object({ type: z.literal('refused'), code: AgentRefusal, message: z.string() }),
]);
export type AgentWelcome = z.infer<typeof AgentWelcome>;

export const AGENT_REFUSED_CLOSE = 4403;

export const AgentState = z.enum(['awaiting_pairing', 'connected', 'disconnected', 'revoked']);
export type AgentState = z.infer<typeof AgentState>;

export const AgentStatus = z
  .object({
    state: AgentState,
    keyFingerprint: SshFingerprint.nullable().describe('The key every connection must prove'),
    pairedAt: z.iso.datetime().nullable(),
    keyRotatedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    connectedSince: z.iso.datetime().nullable(),
    lastConnectedAt: z.iso.datetime().nullable(),
    remoteAddress: z.string().nullable().describe('Where the agent connected from, last time'),
    joinTokenExpiresAt: z.iso
      .datetime()
      .nullable()
      .describe('An unused join token waits until then (pairing or re-pairing)'),
    version: z.string().nullable(),
    hostname: z.string().nullable().describe("The agent machine's name"),
    engine: z.string().nullable().describe('Where the agent reaches its engine'),
    policy: AgentPolicy.nullable().describe("The agent's own refusals, as it last reported them"),
  })
  .meta({ id: 'AgentStatus' });
export type AgentStatus = z.infer<typeof AgentStatus>;

/** How to start the agent: shown once, when the token is made. */
export const AgentJoin = z
  .object({
    token: JoinToken.describe('Works once, until expiresAt'),
    expiresAt: z.iso.datetime(),
    serverUrl: z.string().describe('The URL the agent dials'),
    pin: z.string().describe("SHA-256 of Berth's TLS public key, which the token carries"),
    command: z.string().describe('The command to run beside the engine'),
    containerCommand: z
      .string()
      .describe(
        'The same as a container given the engine socket (the berth-agent image: docs/agent-container.md)',
      ),
  })
  .meta({ id: 'AgentJoin' });
export type AgentJoin = z.infer<typeof AgentJoin>;

export const AgentJoinRequest = z
  .strictObject({
    expiresInMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional()
      .describe('How long the token works (15 minutes by default)'),
    serverUrl: z
      .string()
      .regex(/^https:\/\/[^/\s]+$/, 'an https:// origin, e.g. https://berth.example.com:8443')
      .optional()
      .describe('The URL the agent dials; by default the one this request came to'),
  })
  .meta({ id: 'AgentJoinRequest' });
export type AgentJoinRequest = z.infer<typeof AgentJoinRequest>;

/** Where the agent path matching is defined once, for the agent and for Berth's display. */
export function agentPathPattern(pattern: string): RegExp {
  const escaped = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+'),
    )
    .join('.*');
  return new RegExp(`^${escaped}/?$`);
}
