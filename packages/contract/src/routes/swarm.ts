import { ErrorBody } from '../errors.js';
import { HostParams } from '../hosts.js';
import { httpRoute } from '../route.js';
import {
  JoinTokenRotate,
  JoinTokens,
  JoinTokensRotated,
  NodeChanged,
  NodeDetail,
  NodeList,
  NodeParams,
  NodeRemoveQuery,
  NodeUpdate,
  SwarmChanged,
  SwarmClusterList,
  SwarmInit,
  SwarmJoin,
  SwarmLeave,
  SwarmView,
} from '../swarm.js';
import { ActionCli } from '../images.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const base = '/api/hosts/:host/swarm';
const tags = ['swarm'];

/** The swarm a host is in: inspect, init, join, leave, join tokens. */
export const swarmRoutes = {
  get: httpRoute({
    method: 'GET',
    path: base,
    tags,
    summary: 'Swarm mode of the host; on a manager the cluster, node counts and quorum',
    description:
      'Equivalent: `docker info` (Swarm) and `docker swarm inspect`. Never the join tokens.',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: SwarmView, 404: ErrorBody },
  }),
  init: httpRoute({
    method: 'POST',
    path: `${base}/init`,
    tags,
    summary: 'Make this engine the first manager of a new swarm',
    description: 'Equivalent: `docker swarm init --advertise-addr …`',
    permission: 'admin',
    audit: 'swarm.init',
    params: HostParams,
    body: SwarmInit,
    responses: { 200: SwarmChanged, ...errors },
  }),
  join: httpRoute({
    method: 'POST',
    path: `${base}/join`,
    tags,
    summary: 'Join this engine to a swarm as the token says (worker or manager)',
    description: 'Equivalent: `docker swarm join --token … <manager>`',
    permission: 'admin',
    audit: 'swarm.join',
    params: HostParams,
    body: SwarmJoin,
    responses: { 200: SwarmChanged, ...errors },
  }),
  leave: httpRoute({
    method: 'POST',
    path: `${base}/leave`,
    tags,
    summary: 'Leave the swarm; a manager needs force (the last one ends the swarm)',
    description: 'Equivalent: `docker swarm leave [--force]`',
    permission: 'admin',
    audit: 'swarm.leave',
    params: HostParams,
    body: SwarmLeave,
    responses: { 200: SwarmChanged, ...errors },
  }),
  joinTokens: httpRoute({
    method: 'GET',
    path: `${base}/join-tokens`,
    tags,
    summary: 'The worker and manager join tokens, with the join commands (admins; audited)',
    description: 'Equivalent: `docker swarm join-token worker` and `… manager`',
    permission: 'admin',
    audit: 'swarm.join_tokens_read',
    params: HostParams,
    responses: { 200: JoinTokens, ...errors },
  }),
  rotateJoinToken: httpRoute({
    method: 'POST',
    path: `${base}/join-tokens/rotate`,
    tags,
    summary: 'Replace a join token: the old one no longer joins',
    description: 'Equivalent: `docker swarm join-token --rotate worker|manager`',
    permission: 'admin',
    audit: 'swarm.join_token_rotate',
    params: HostParams,
    body: JoinTokenRotate,
    responses: { 200: JoinTokensRotated, ...errors },
  }),
};

/** Every swarm reached through the caller's hosts, each once. */
export const swarmsRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/swarms',
    tags,
    summary: 'Each swarm once, with the hosts (managers) that reach it',
    permission: 'authenticated',
    responses: { 200: SwarmClusterList },
  }),
};

const nodes = '/api/hosts/:host/nodes';

/** The nodes of the swarm a manager host is in. */
export const nodesRoutes = {
  list: httpRoute({
    method: 'GET',
    path: nodes,
    tags,
    summary: 'Nodes: role, availability, status, manager reachability, engine, labels, tasks',
    description: 'Equivalent: `docker node ls`',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: NodeList, ...errors },
  }),
  get: httpRoute({
    method: 'GET',
    path: `${nodes}/:id`,
    tags,
    summary: 'Inspect a node',
    description: 'Equivalent: `docker node inspect`',
    permission: 'host:read',
    params: NodeParams,
    responses: { 200: NodeDetail, ...errors },
  }),
  update: httpRoute({
    method: 'PATCH',
    path: `${nodes}/:id`,
    tags,
    summary:
      "Change a node's availability or labels (operators), or its role (promote, demote: admins)",
    description:
      'Equivalent: `docker node update --role|--availability|--label-add|--label-rm`, `docker node promote|demote`',
    permission: 'host:write',
    audit: 'node.update',
    params: NodeParams,
    body: NodeUpdate,
    responses: { 200: NodeChanged, ...errors },
  }),
  remove: httpRoute({
    method: 'DELETE',
    path: `${nodes}/:id`,
    tags,
    summary: 'Remove a node from the swarm (it must be down, or force)',
    description: 'Equivalent: `docker node rm [--force]`',
    permission: 'admin',
    audit: 'node.remove',
    params: NodeParams,
    query: NodeRemoveQuery,
    responses: { 200: ActionCli, ...errors },
  }),
};
