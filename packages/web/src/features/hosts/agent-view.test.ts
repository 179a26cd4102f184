import type { AgentStatus } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { agentNotice, connectionFact, policySummary, tokenExpiry } from './agent-view.js';

const NOW = Date.parse('2030-01-01T12:00:00.000Z');
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();

const AGENT: AgentStatus = {
  state: 'awaiting_pairing',
  keyFingerprint: null,
  pairedAt: null,
  keyRotatedAt: null,
  revokedAt: null,
  connectedSince: null,
  lastConnectedAt: null,
  remoteAddress: null,
  joinTokenExpiresAt: null,
  version: null,
  hostname: null,
  engine: null,
  policy: null,
};

describe('an agent host as the Hosts page says it', () => {
  it('says how long a join token has left, or since when it expired', () => {
    expect(tokenExpiry(at(15), NOW)).toBe('expires in 15 minutes');
    expect(tokenExpiry(at(0.5), NOW)).toBe('expires in less than a minute');
    expect(tokenExpiry(at(-3), NOW)).toBe('expired 3 minutes ago');
    expect(tokenExpiry(at(0), NOW)).toMatch(/^expired /);
  });

  it('says what the agent lets through, from its own policy', () => {
    expect(policySummary(null)).toMatch(/^not reported yet/);
    expect(policySummary({ readOnly: false, deniedPaths: [] })).toBe('read and write');
    expect(policySummary({ readOnly: true, deniedPaths: ['/containers/*/exec'] })).toBe(
      'read-only: only GET and HEAD reach the engine; 1 path denied',
    );
    expect(policySummary({ readOnly: false, deniedPaths: ['/a', '/b'] })).toBe(
      'read and write; 2 paths denied',
    );
  });

  it('names the connection fact: since when it is connected, or when it last was', () => {
    expect(connectionFact({ ...AGENT, connectedSince: at(-5) }, NOW)).toEqual([
      'Connected since',
      '5 minutes ago',
    ]);
    expect(connectionFact({ ...AGENT, lastConnectedAt: at(-120) }, NOW)).toEqual([
      'Last connected',
      '2 hours ago',
    ]);
    expect(connectionFact(AGENT, NOW)).toEqual(['Last connected', 'never']);
  });

  it('says what an agent that is not serving waits for, and how to re-pair a revoked one', () => {
    expect(agentNotice({ ...AGENT, state: 'connected' }, NOW)).toBeNull();
    expect(agentNotice({ ...AGENT, joinTokenExpiresAt: at(10) }, NOW)).toMatch(
      /run the join command .*token expires in 10 minutes/,
    );
    expect(agentNotice(AGENT, NOW)).toMatch(/no join token works now .*make a new join token/);
    expect(agentNotice({ ...AGENT, state: 'disconnected', lastConnectedAt: at(-1) }, NOW)).toMatch(
      /^The agent is not connected \(last connected 1 minute ago\)/,
    );
    expect(agentNotice({ ...AGENT, state: 'revoked', revokedAt: at(-2) }, NOW)).toMatch(
      /revoked 2 minutes ago: Berth refuses it\. To re-pair it, make a new join token/,
    );
  });
});
