import {
  ErrorBody,
  NoContent,
  IdParams,
  UserCreate,
  UserList,
  UserUpdate,
  UserView,
} from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { UsersService } from './users-service.js';

export function usersRoutes(service: UsersService): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/api/users',
      {
        config: { permission: 'admin' },
        schema: { tags: ['users'], summary: 'All users', response: { 200: UserList } },
      },
      async () => ({ users: await service.list() }),
    );

    app.post(
      '/api/users',
      {
        config: { permission: 'admin', audit: 'user.create' },
        schema: {
          tags: ['users'],
          summary: 'Create a user',
          body: UserCreate,
          response: { 201: UserView, 400: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        auditInfo(request).target = request.body.username;
        const user = await service.create(request.body);
        auditInfo(request).details = { id: user.id, role: user.role, hosts: user.hosts };
        return reply.status(201).send(user);
      },
    );

    app.get(
      '/api/users/:id',
      {
        config: { permission: 'admin' },
        schema: {
          tags: ['users'],
          summary: 'One user',
          params: IdParams,
          response: { 200: UserView, 404: ErrorBody },
        },
      },
      (request) => service.get(request.params.id),
    );

    app.patch(
      '/api/users/:id',
      {
        config: { permission: 'admin', audit: 'user.update' },
        schema: {
          tags: ['users'],
          summary: 'Change role, host grants, disable/enable, or reset the password',
          params: IdParams,
          body: UserUpdate,
          response: { 200: UserView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => {
        const { password, ...rest } = request.body;
        auditInfo(request).details = {
          ...rest,
          ...(password !== undefined ? { passwordReset: true } : {}),
        };
        return service.update(requirePrincipal(request), request.params.id, request.body);
      },
    );

    app.delete(
      '/api/users/:id',
      {
        config: { permission: 'admin', audit: 'user.delete' },
        schema: {
          tags: ['users'],
          summary: 'Delete a user (never the last admin)',
          params: IdParams,
          response: { 204: NoContent, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        await service.delete(requirePrincipal(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    done();
  };
}
