import { ErrorBody } from '../errors.js';
import { HostInfo, HostList, HostParams } from '../hosts.js';
import { httpRoute } from '../route.js';

export const hostsRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/hosts',
    tags: ['hosts'],
    summary: 'The engine hosts and whether each is reachable',
    permission: 'host:read',
    responses: { 200: HostList },
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
