import { IdParams } from '../auth.js';
import { ErrorBody, NoContent } from '../errors.js';
import {
  RegistryCreate,
  RegistryList,
  RegistryTestResult,
  RegistryUpdate,
  RegistryView,
} from '../registries.js';
import { httpRoute } from '../route.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Registry credentials: admins only; passwords go in, never come out. */
export const registriesRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/registries',
    tags: ['registries'],
    summary: 'Registry credentials (without passwords)',
    permission: 'admin',
    responses: { 200: RegistryList },
  }),
  create: httpRoute({
    method: 'POST',
    path: '/api/registries',
    tags: ['registries'],
    summary: 'Add credentials for a registry',
    description: 'Equivalent: `docker login`',
    permission: 'admin',
    audit: 'registry.create',
    body: RegistryCreate,
    responses: { 201: RegistryView, ...errors },
  }),
  get: httpRoute({
    method: 'GET',
    path: '/api/registries/:id',
    tags: ['registries'],
    summary: 'One registry',
    permission: 'admin',
    params: IdParams,
    responses: { 200: RegistryView, ...errors },
  }),
  update: httpRoute({
    method: 'PATCH',
    path: '/api/registries/:id',
    tags: ['registries'],
    summary: 'Change name, username, password or insecure',
    permission: 'admin',
    audit: 'registry.update',
    params: IdParams,
    body: RegistryUpdate,
    responses: { 200: RegistryView, ...errors },
  }),
  remove: httpRoute({
    method: 'DELETE',
    path: '/api/registries/:id',
    tags: ['registries'],
    summary: 'Forget a registry',
    description: 'Equivalent: `docker logout`',
    permission: 'admin',
    audit: 'registry.delete',
    params: IdParams,
    responses: { 204: NoContent, ...errors },
  }),
  test: httpRoute({
    method: 'POST',
    path: '/api/registries/:id/test',
    tags: ['registries'],
    summary: 'Test login with the stored credentials',
    permission: 'admin',
    audit: 'registry.test',
    params: IdParams,
    responses: { 200: RegistryTestResult, ...errors },
  }),
};
