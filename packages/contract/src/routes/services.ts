import type { z } from 'zod';
import { ErrorBody } from '../errors.js';
import { HostParams } from '../hosts.js';
import {
  ConfigDetail,
  ConfigList,
  RotateResult,
  SecretCreate,
  SecretCreated,
  SecretList,
  SecretParams,
  SecretRotate,
  SecretView,
} from '../secrets.js';
import {
  ScaleRequest,
  ServiceChange,
  ServiceCreate,
  ServiceDetail,
  ServiceList,
  ServiceLogsMessage,
  ServiceLogsPage,
  ServiceLogsQuery,
  ServiceParams,
  ServiceRemoved,
  ServiceUpdate,
  TaskList,
  TasksQuery,
} from '../services.js';
import { NoClientMessages } from '../streams.js';
import { httpRoute, streamRoute } from '../route.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const base = '/api/hosts/:host/services';
const tags = ['services'];

/** Swarm services (the host is a manager): list, inspect, create, update, scale, rollback, remove. */
export const servicesRoutes = {
  list: httpRoute({
    method: 'GET',
    path: base,
    tags,
    summary: 'Services with running/desired tasks, ports and update state',
    description: 'Equivalent: `docker service ls`',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: ServiceList, ...errors },
  }),
  create: httpRoute({
    method: 'POST',
    path: base,
    tags,
    summary: 'Create a service (replicated or global)',
    description: 'Equivalent: `docker service create`',
    permission: 'host:write',
    audit: 'service.create',
    params: HostParams,
    body: ServiceCreate,
    responses: { 201: ServiceChange, ...errors },
  }),
  get: httpRoute({
    method: 'GET',
    path: `${base}/:id`,
    tags,
    summary: 'Inspect: spec, previous spec, update status',
    description: 'Equivalent: `docker service inspect`',
    permission: 'host:read',
    params: ServiceParams,
    responses: { 200: ServiceDetail, ...errors },
  }),
  update: httpRoute({
    method: 'PATCH',
    path: `${base}/:id`,
    tags,
    summary: 'Update (image, env, replicas, update config, labels …) at the version read',
    description:
      'Equivalent: `docker service update`. A version older than the service has is refused with 409 service_changed.',
    permission: 'host:write',
    audit: 'service.update',
    params: ServiceParams,
    body: ServiceUpdate,
    responses: { 200: ServiceChange, ...errors },
  }),
  remove: httpRoute({
    method: 'DELETE',
    path: `${base}/:id`,
    tags,
    summary: 'Remove the service and its tasks',
    description: 'Equivalent: `docker service rm`',
    permission: 'host:write',
    audit: 'service.remove',
    params: ServiceParams,
    responses: { 200: ServiceRemoved, ...errors },
  }),
  scale: httpRoute({
    method: 'POST',
    path: `${base}/:id/scale`,
    tags,
    summary: 'Set the replicas of a replicated service',
    description: 'Equivalent: `docker service scale`',
    permission: 'host:write',
    audit: 'service.scale',
    params: ServiceParams,
    body: ScaleRequest,
    responses: { 200: ServiceChange, ...errors },
  }),
  rollback: httpRoute({
    method: 'POST',
    path: `${base}/:id/rollback`,
    tags,
    summary: 'Go back to the previous spec (shown as a manual rollback)',
    description: 'Equivalent: `docker service rollback`',
    permission: 'host:write',
    audit: 'service.rollback',
    params: ServiceParams,
    responses: { 200: ServiceChange, ...errors },
  }),
  resume: httpRoute({
    method: 'POST',
    path: `${base}/:id/resume`,
    tags,
    summary: 'Resume a paused update (the engine paused it on a failure: FailureAction pause)',
    description:
      'Equivalent: `docker service update SERVICE` (the same spec again). The engine has no pause call: an update pauses only on failure.',
    permission: 'host:write',
    audit: 'service.resume',
    params: ServiceParams,
    responses: { 200: ServiceChange, ...errors },
  }),
  tasks: httpRoute({
    method: 'GET',
    path: `${base}/:id/tasks`,
    tags,
    summary: "The service's tasks with node, state and error",
    description: 'Equivalent: `docker service ps`',
    permission: 'host:read',
    params: ServiceParams,
    responses: { 200: TaskList, ...errors },
  }),
};

/** Every task of the swarm (the visualizer's data). */
export const tasksRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/tasks',
    tags,
    summary: 'Tasks of every service, by service, node or desired state',
    description: 'Equivalent: `docker service ps` / `docker node ps`',
    permission: 'host:read',
    params: HostParams,
    query: TasksQuery,
    responses: { 200: TaskList, ...errors },
  }),
};

/** A service's logs (its tasks merged, or one task): history, and live through a shared stream. */
export const serviceLogsRoutes = {
  get: httpRoute({
    method: 'GET',
    path: `${base}/:id/logs`,
    tags,
    summary: "The service's log lines, every task merged or one task",
    description: 'Equivalent: `docker service logs`',
    permission: 'host:read',
    params: ServiceParams,
    query: ServiceLogsQuery,
    responses: { 200: ServiceLogsPage, ...errors },
  }),
  stream: streamRoute({
    path: `${base}/:id/logs/stream`,
    tags,
    summary: 'History, then live lines (one engine stream per service shared by every viewer)',
    description: 'Equivalent: `docker service logs --follow`',
    permission: 'host:read',
    params: ServiceParams,
    query: ServiceLogsQuery,
    client: NoClientMessages,
    server: ServiceLogsMessage,
  }),
};

function fileRoutes<K extends 'secret' | 'config', L extends z.ZodType, D extends z.ZodType>(
  kind: K,
  list: L,
  detail: D,
) {
  const path: `/api/hosts/:host/${K}s` = `/api/hosts/:host/${kind}s`;
  const fileTags = [`${kind}s`];
  return {
    list: httpRoute({
      method: 'GET',
      path,
      tags: fileTags,
      summary: `${kind === 'secret' ? 'Secrets' : 'Configs'} with the services that use each`,
      description: `Equivalent: \`docker ${kind} ls\``,
      permission: 'host:read',
      params: HostParams,
      responses: { 200: list, ...errors },
    }),
    create: httpRoute({
      method: 'POST',
      path,
      tags: fileTags,
      summary:
        kind === 'secret' ? 'Create; the value is never returned' : 'Create from text or base64',
      description: `Equivalent: \`docker ${kind} create\``,
      permission: 'host:write',
      audit: `${kind}.create`,
      params: HostParams,
      body: SecretCreate,
      responses: { 201: SecretCreated, ...errors },
    }),
    get: httpRoute({
      method: 'GET',
      path: `${path}/:id`,
      tags: fileTags,
      summary: kind === 'secret' ? 'Inspect (never the value)' : 'Inspect, with the data',
      description: `Equivalent: \`docker ${kind} inspect\``,
      permission: 'host:read',
      params: SecretParams,
      responses: { 200: detail, ...errors },
    }),
    remove: httpRoute({
      method: 'DELETE',
      path: `${path}/:id`,
      tags: fileTags,
      summary: 'Remove; refused (409) while a service uses it',
      description: `Equivalent: \`docker ${kind} rm\``,
      permission: 'host:write',
      audit: `${kind}.remove`,
      params: SecretParams,
      responses: { 200: ServiceRemoved, ...errors },
    }),
  };
}

export const secretsRoutes = {
  ...fileRoutes('secret', SecretList, SecretView),
  rotate: httpRoute({
    method: 'POST',
    path: '/api/hosts/:host/secrets/:id/rotate',
    tags: ['secrets'],
    summary: 'A new version (name-vN) and every service that used the old one moved to it',
    description:
      'Equivalent: `docker secret create` then `docker service update --secret-rm --secret-add` per service',
    permission: 'host:write',
    audit: 'secret.rotate',
    params: SecretParams,
    body: SecretRotate,
    responses: { 200: RotateResult, ...errors },
  }),
};
export const configsRoutes = fileRoutes('config', ConfigList, ConfigDetail);
