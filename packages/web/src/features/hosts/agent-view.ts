import type { AgentPolicy, AgentState, AgentStatus } from '@berth/contract';
import { age } from '../../components/time.js';

type Tone = 'good' | 'warn' | 'bad' | 'neutral';

/**
 * An agent's state as the Hosts page shows it: the badge's words and colour, and the status dot
 * (the same colours as reachable / unreachable; a revoked agent is switched off, not failing).
 */
export const AGENT_STATE: Record<AgentState, { label: string; tone: Tone }> = {
  awaiting_pairing: { label: 'awaiting pairing', tone: 'warn' },
  connected: { label: 'connected', tone: 'good' },
  disconnected: { label: 'disconnected', tone: 'bad' },
  revoked: { label: 'revoked', tone: 'neutral' },
};

/** "expires in 15 minutes", "expired 3 minutes ago": a join token's time left, at a glance. */
export function tokenExpiry(expiresAt: string, now = Date.now()): string {
  const left = Date.parse(expiresAt) - now;
  if (left <= 0) return `expired ${age(expiresAt, now)}`;
  if (left < 60_000) return 'expires in less than a minute';
  return `expires ${age(expiresAt, now)}`;
}

/** What the agent lets through, in words: Berth only shows it (the agent's own flags set it). */
export function policySummary(policy: AgentPolicy | null): string {
  if (!policy) return 'not reported yet (the agent reports it when it connects)';
  const mode = policy.readOnly ? 'read-only: only GET and HEAD reach the engine' : 'read and write';
  const denied = policy.deniedPaths.length;
  return denied === 0 ? mode : `${mode}; ${denied} path${denied === 1 ? '' : 's'} denied`;
}

/** The connection fact of an agent: since when it is connected, or when it last was. */
export function connectionFact(agent: AgentStatus, now = Date.now()): [string, string] {
  if (agent.connectedSince) return ['Connected since', age(agent.connectedSince, now)];
  return ['Last connected', agent.lastConnectedAt ? age(agent.lastConnectedAt, now) : 'never'];
}

/**
 * The line under an agent host's name while its agent is not serving: what is awaited, and what
 * the admin can do about it. Null while it is connected (the engine's own state says the rest).
 */
export function agentNotice(agent: AgentStatus, now = Date.now()): string | null {
  switch (agent.state) {
    case 'connected':
      return null;
    case 'awaiting_pairing':
      return agent.joinTokenExpiresAt
        ? `Waiting for its agent to pair: run the join command beside the engine (the token ${tokenExpiry(agent.joinTokenExpiresAt, now)})`
        : 'Waiting for its agent to pair, but no join token works now (it expired or was used): make a new join token';
    case 'disconnected':
      return `The agent is not connected${agent.lastConnectedAt ? ` (last connected ${age(agent.lastConnectedAt, now)})` : ''}: it reconnects on its own once it runs and reaches Berth`;
    case 'revoked':
      return `The agent's key was revoked${agent.revokedAt ? ` ${age(agent.revokedAt, now)}` : ''}: Berth refuses it. ${REPAIR_HINT}`;
  }
}

export const REPAIR_HINT =
  'To re-pair it, make a new join token on the host’s card and run the command it shows on the agent’s machine.';

/** How to print Berth's pin on its own machine, to compare it with the one shown. */
export const PIN_CHECK_COMMAND =
  'openssl x509 -in data/tls/cert.pem -pubkey -noout | openssl pkey -pubin -outform der | sha256sum';
