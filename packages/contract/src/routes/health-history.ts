import { ContainerParams } from '../containers.js';
import { ErrorBody } from '../errors.js';
import { HealthHistoryQuery, IncidentList, IncidentsQuery } from '../health-history.js';
import { HostParams } from '../hosts.js';
import { httpRoute } from '../route.js';

/** Health history: what happened to each container, and a host's "what broke" feed. */
export const healthHistoryRoutes = {
  timeline: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/containers/:id/health-history',
    tags: ['health-history'],
    summary: "A container's health timeline: health changes, exits, OOM kills, restart loops",
    description: 'By id, id prefix or name; a removed container keeps its history.',
    permission: 'host:read',
    params: ContainerParams,
    query: HealthHistoryQuery,
    responses: { 200: IncidentList, 400: ErrorBody, 404: ErrorBody },
  }),
  incidents: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/incidents',
    tags: ['health-history'],
    summary: 'What broke on the host: every container incident, newest first',
    permission: 'host:read',
    params: HostParams,
    query: IncidentsQuery,
    responses: { 200: IncidentList, 400: ErrorBody, 404: ErrorBody },
  }),
};
