import type { AgentStatus } from '@berth/contract';
import type { AgentTunnel } from '../../docker/agent-tunnel.js';
import type { AgentRecord } from './agents-repository.js';

/** What Berth shows of an agent host: its record and whether its session is up. */
export function agentStatusOf(record: AgentRecord, tunnel: AgentTunnel | undefined): AgentStatus {
  const connected = tunnel?.connected === true;
  const state = record.revokedAt
    ? 'revoked'
    : !record.pairedAt
      ? 'awaiting_pairing'
      : connected
        ? 'connected'
        : 'disconnected';
  const tokenWaits =
    record.tokenHash !== null &&
    record.tokenUsedAt === null &&
    record.tokenExpiresAt !== null &&
    Date.parse(record.tokenExpiresAt) > Date.now();
  return {
    state,
    keyFingerprint: record.keyFingerprint,
    pairedAt: record.pairedAt,
    keyRotatedAt: record.keyRotatedAt,
    revokedAt: record.revokedAt,
    connectedSince: connected ? (tunnel.connectedSince?.toISOString() ?? null) : null,
    lastConnectedAt: record.lastConnectedAt,
    remoteAddress: record.remoteAddress,
    joinTokenExpiresAt: tokenWaits ? record.tokenExpiresAt : null,
    version: record.version,
    hostname: record.hostname,
    engine: record.engine,
    policy: record.policy,
  };
}

/** Why an agent host's engine cannot be reached while its agent has no session. */
export function downReasonOf(record: AgentRecord): string {
  if (record.revokedAt)
    return `the agent's key was revoked at ${record.revokedAt}: make a new join token to re-pair it`;
  if (!record.pairedAt)
    return 'no agent has paired with this host yet: run the berth agent command its join token came with';
  return record.lastConnectedAt
    ? `the agent is not connected (last connected at ${record.lastConnectedAt})`
    : 'the agent has not connected yet';
}
