import { IdParams, UserCreate, UserList, UserUpdate, UserView } from '../auth.js';
import { ErrorBody, NoContent } from '../errors.js';
import { httpRoute } from '../route.js';

export const usersRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/users',
    tags: ['users'],
    summary: 'All users',
    permission: 'admin',
    responses: { 200: UserList },
  }),
  create: httpRoute({
    method: 'POST',
    path: '/api/users',
    tags: ['users'],
    summary: 'Create a user',
    permission: 'admin',
    audit: 'user.create',
    body: UserCreate,
    responses: { 201: UserView, 400: ErrorBody, 409: ErrorBody },
  }),
  get: httpRoute({
    method: 'GET',
    path: '/api/users/:id',
    tags: ['users'],
    summary: 'One user',
    permission: 'admin',
    params: IdParams,
    responses: { 200: UserView, 404: ErrorBody },
  }),
  update: httpRoute({
    method: 'PATCH',
    path: '/api/users/:id',
    tags: ['users'],
    summary: 'Change role, host grants, disable/enable, or reset the password',
    permission: 'admin',
    audit: 'user.update',
    params: IdParams,
    body: UserUpdate,
    responses: { 200: UserView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
  }),
  remove: httpRoute({
    method: 'DELETE',
    path: '/api/users/:id',
    tags: ['users'],
    summary: 'Delete a user (never the last admin)',
    permission: 'admin',
    audit: 'user.delete',
    params: IdParams,
    responses: { 204: NoContent, 404: ErrorBody, 409: ErrorBody },
  }),
};
