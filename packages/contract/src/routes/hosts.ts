import { ErrorBody, NoContent } from '../errors.js';
import {
  Host,
  HostCreate,
  HostCreated,
  HostInfo,
  HostList,
  HostParams,
  HostRemoveQuery,
  HostTestResult,
  HostUpdate,
} from '../hosts.js';
import { httpRoute } from '../route.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

export const hostsRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/hosts',
    tags: ['hosts'],
    summary: 'The engine hosts the caller may see and whether each is reachable',
    permission: 'host:read',
    responses: { 200: HostList },
  }),
  create: httpRoute({
    method: 'POST',
    path: '/api/hosts',
    tags: ['hosts'],
    summary: 'Add an engine host (tested first: nothing is stored unless it is reached)',
    description:
      'A 422 `host_connection_failed` names one reason in `details.reason`: refused, no_socket, tls_verify_failed, client_cert_rejected, not_docker, timeout, unreachable. Another host reaching the same engine ID is a 409 `host_duplicate` unless `allowDuplicate`.',
    permission: 'admin',
    audit: 'host.create',
    body: HostCreate,
    responses: { 201: HostCreated, ...errors },
  }),
  test: httpRoute({
    method: 'POST',
    path: '/api/hosts/test',
    tags: ['hosts'],
    summary: 'Test a host definition without saving it',
    description: 'Answers the engine version, ID and hardware profile, or one clear reason.',
    permission: 'admin',
    audit: 'host.test',
    body: HostCreate,
    responses: { 200: HostTestResult, 400: ErrorBody },
  }),
  get: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host',
    tags: ['hosts'],
    summary: 'One host and whether it is reachable',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: Host, 404: ErrorBody },
  }),
  update: httpRoute({
    method: 'PATCH',
    path: '/api/hosts/:host',
    tags: ['hosts'],
    summary: 'Change how a host is reached or its labels (its client restarts at once)',
    permission: 'admin',
    audit: 'host.update',
    params: HostParams,
    body: HostUpdate,
    responses: { 200: Host, ...errors },
  }),
  remove: httpRoute({
    method: 'DELETE',
    path: '/api/hosts/:host',
    tags: ['hosts'],
    summary: 'Remove a host: its streams end, its state is forgotten',
    description:
      'What Berth stored for it is kept unless `forget=true`. `local` (DOCKER_HOST) cannot be removed: 409 `host_not_removable`.',
    permission: 'admin',
    audit: 'host.delete',
    params: HostParams,
    query: HostRemoveQuery,
    responses: { 204: NoContent, ...errors },
  }),
  info: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/info',
    tags: ['hosts'],
    summary: "The engine's summary and the host's hardware profile",
    description: 'Equivalent: `docker info`',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: HostInfo, 404: ErrorBody, 503: ErrorBody },
  }),
};
