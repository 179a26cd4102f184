import { ErrorBody } from '../errors.js';
import { HostParams } from '../hosts.js';
import { httpRoute } from '../route.js';
import {
  SwarmStackDeployRequest,
  SwarmStackDeployResult,
  SwarmStackDetail,
  SwarmStackList,
  SwarmStackParams,
  SwarmStackPlan,
  SwarmStackPlanRequest,
  SwarmStackRemoveResult,
} from '../swarm-stacks.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const base = '/api/hosts/:host/swarm-stacks';
const one = `${base}/:name`;
const tags = ['swarm-stacks'];

/** Compose stacks deployed to a swarm, as `docker stack deploy/ls/ps/rm` do. */
export const swarmStacksRoutes = {
  list: httpRoute({
    method: 'GET',
    path: base,
    tags,
    summary: 'Stack namespaces found on the services, with tasks running of desired',
    description: 'Equivalent: `docker stack ls`',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: SwarmStackList, 404: ErrorBody },
  }),
  get: httpRoute({
    method: 'GET',
    path: one,
    tags,
    summary: "A stack's services (replicas, update state), networks, secrets and configs",
    description: 'Equivalent: `docker stack services <name>`',
    permission: 'host:read',
    params: SwarmStackParams,
    responses: { 200: SwarmStackDetail, ...errors },
  }),
  plan: httpRoute({
    method: 'POST',
    path: `${one}/plan`,
    tags,
    summary: 'What a deploy would create, update or remove, and what swarm does not honour',
    permission: 'host:write',
    noAudit: true,
    params: SwarmStackParams,
    body: SwarmStackPlanRequest,
    responses: { 200: SwarmStackPlan, ...errors },
  }),
  deploy: httpRoute({
    method: 'POST',
    path: `${one}/deploy`,
    tags,
    summary: 'Apply a plan: networks, secrets and configs first, then the services',
    description: 'Equivalent: `docker stack deploy -c compose.yaml <name>`',
    permission: 'host:write',
    audit: 'swarm-stack.deploy',
    params: SwarmStackParams,
    body: SwarmStackDeployRequest,
    responses: { 200: SwarmStackDeployResult, ...errors },
  }),
  remove: httpRoute({
    method: 'DELETE',
    path: one,
    tags,
    summary: "Remove the stack's services, then its networks, secrets and configs",
    description: 'Equivalent: `docker stack rm <name>`',
    permission: 'host:write',
    audit: 'swarm-stack.remove',
    params: SwarmStackParams,
    responses: { 200: SwarmStackRemoveResult, ...errors },
  }),
};
