import { AgentHello, AgentJoin, AgentJoinRequest, AgentStatus, AgentWelcome } from '../agent.js';
import { ErrorBody } from '../errors.js';
import { HostParams } from '../host-id.js';
import { httpRoute, streamRoute } from '../route.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Agent hosts: the socket agents dial, and their pairing and keys (admins). */
export const agentsRoutes = {
  connect: streamRoute({
    path: '/api/agent/connect',
    tags: ['agents'],
    summary: 'WebSocket an agent dials: a hello or pair frame, then its SSH session (binary)',
    description:
      "No session or API token: an agent proves itself with a join token (once) and then with its own key, inside the SSH session that follows Berth's welcome. Refusals name their reason (token_used, token_expired, agent_revoked, key_unknown, …).",
    permission: 'public',
    client: AgentHello,
    server: AgentWelcome,
    binary: true,
  }),
  get: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/agent',
    tags: ['agents'],
    summary: "An agent host's pairing, key, connection and policy",
    permission: 'host:read',
    params: HostParams,
    responses: { 200: AgentStatus, 404: ErrorBody },
  }),
  joinToken: httpRoute({
    method: 'POST',
    path: '/api/hosts/:host/agent/join-token',
    tags: ['agents'],
    summary: 'A new join token (works once, expires); pairing with it replaces the key',
    description:
      'To re-pair an agent (lost, revoked or moved): the token before it stops working. The current key goes on working until an agent pairs with the new token.',
    permission: 'admin',
    audit: 'agent.join_token',
    params: HostParams,
    body: AgentJoinRequest,
    responses: { 200: AgentJoin, ...errors },
  }),
  rotateKey: httpRoute({
    method: 'POST',
    path: '/api/hosts/:host/agent/rotate-key',
    tags: ['agents'],
    summary: 'Have the connected agent make a new key pair; only the new key works afterwards',
    permission: 'admin',
    audit: 'agent.rotate_key',
    params: HostParams,
    responses: { 200: AgentStatus, ...errors, 503: ErrorBody },
  }),
  revoke: httpRoute({
    method: 'POST',
    path: '/api/hosts/:host/agent/revoke',
    tags: ['agents'],
    summary: "Revoke the agent's key: it is disconnected and refused until re-paired",
    permission: 'admin',
    audit: 'agent.revoke',
    params: HostParams,
    responses: { 200: AgentStatus, ...errors },
  }),
};
