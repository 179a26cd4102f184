import { ContainerParams } from '../containers.js';
import { ErrorBody } from '../errors.js';
import { HostParams } from '../hosts.js';
import {
  ContainerUpdateEntry,
  ContainerUpdateHistory,
  ImageUpdateList,
  RetagRequest,
  RollbackRequest,
  UpdateApplyRequest,
  UpdateApplyResult,
  UpdateContainerRequest,
  UpdatePreview,
} from '../registries.js';
import { httpRoute } from '../route.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Update detection, and updating, retagging and rolling back containers. */
export const updatesRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/images/updates',
    tags: ['updates'],
    summary: 'The latest update check, per image in use',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: ImageUpdateList, 404: ErrorBody },
  }),
  check: httpRoute({
    method: 'POST',
    path: '/api/hosts/:host/images/updates',
    tags: ['updates'],
    summary: "Check now: each image in use against its registry's digest",
    permission: 'host:write',
    audit: 'image.update_check',
    params: HostParams,
    responses: { 200: ImageUpdateList, 404: ErrorBody },
  }),
  history: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/containers/:id/updates',
    tags: ['updates'],
    summary: "The container's update history",
    permission: 'host:read',
    params: ContainerParams,
    responses: { 200: ContainerUpdateHistory, ...errors },
  }),
  update: httpRoute({
    method: 'POST',
    path: '/api/hosts/:host/containers/:id/update',
    tags: ['updates'],
    summary:
      'Pull its tag again and recreate it on the new image; rolled back automatically on failure',
    permission: 'host:write',
    audit: 'container.image_update',
    params: ContainerParams,
    body: UpdateContainerRequest,
    responses: { 200: ContainerUpdateEntry, ...errors },
  }),
  retag: httpRoute({
    method: 'POST',
    path: '/api/hosts/:host/containers/:id/retag',
    tags: ['updates'],
    summary: 'Move to another tag of the same repository (e.g. 1.28 → 1.29)',
    permission: 'host:write',
    audit: 'container.retag',
    params: ContainerParams,
    body: RetagRequest,
    responses: { 200: ContainerUpdateEntry, ...errors },
  }),
  rollback: httpRoute({
    method: 'POST',
    path: '/api/hosts/:host/containers/:id/rollback',
    tags: ['updates'],
    summary: "Go back to a history entry's old image",
    permission: 'host:write',
    audit: 'container.rollback',
    params: ContainerParams,
    body: RollbackRequest,
    responses: { 200: ContainerUpdateEntry, ...errors },
  }),
  preview: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/updates/preview',
    tags: ['updates'],
    summary: 'Exactly the containers "update all" would change',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: UpdatePreview, 404: ErrorBody },
  }),
  apply: httpRoute({
    method: 'POST',
    path: '/api/hosts/:host/updates/apply',
    tags: ['updates'],
    summary: 'Update the given containers from the preview (never others); a result each',
    permission: 'host:write',
    audit: 'container.update_all',
    params: HostParams,
    body: UpdateApplyRequest,
    responses: { 200: UpdateApplyResult, ...errors },
  }),
};
