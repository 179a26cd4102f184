import {
  ErrorBody,
  IdParams,
  NoContent,
  RegistryCreate,
  RegistryList,
  RegistryTestResult,
  RegistryUpdate,
  RegistryView,
} from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditInfo } from '../../http/route-permissions.js';
import type { RegistriesService } from './registries-service.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Registry credentials: admins only; passwords go in, never come out. */
export function registriesRoutes(registries: RegistriesService): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/api/registries',
      {
        config: { permission: 'admin' },
        schema: {
          tags: ['registries'],
          summary: 'Registry credentials (without passwords)',
          response: { 200: RegistryList },
        },
      },
      async () => ({
        registries: await registries.list(),
      }),
    );
    app.post(
      '/api/registries',
      {
        config: { permission: 'admin', audit: 'registry.create' },
        schema: {
          tags: ['registries'],
          summary: 'Add credentials for a registry',
          description: 'Equivalent: `docker login`',
          body: RegistryCreate,
          response: { 201: RegistryView, ...errors },
        },
      },
      async (request, reply) => {
        auditInfo(request).target = request.body.host;
        auditInfo(request).details = { name: request.body.name, username: request.body.username };
        return reply.status(201).send(await registries.create(request.body));
      },
    );
    app.get(
      '/api/registries/:id',
      {
        config: { permission: 'admin' },
        schema: {
          tags: ['registries'],
          summary: 'One registry',
          params: IdParams,
          response: { 200: RegistryView, ...errors },
        },
      },
      (request) => registries.get(request.params.id),
    );
    app.patch(
      '/api/registries/:id',
      {
        config: { permission: 'admin', audit: 'registry.update' },
        schema: {
          tags: ['registries'],
          summary: 'Change name, username, password or insecure',
          params: IdParams,
          body: RegistryUpdate,
          response: { 200: RegistryView, ...errors },
        },
      },
      (request) => {
        const { password, ...rest } = request.body;
        auditInfo(request).details = {
          ...rest,
          ...(password !== undefined ? { passwordChanged: true } : {}),
        };
        return registries.update(request.params.id, request.body);
      },
    );
    app.delete(
      '/api/registries/:id',
      {
        config: { permission: 'admin', audit: 'registry.delete' },
        schema: {
          tags: ['registries'],
          summary: 'Forget a registry',
          params: IdParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await registries.delete(request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/registries/:id/test',
      {
        config: { permission: 'admin', audit: 'registry.test' },
        schema: {
          tags: ['registries'],
          summary: 'Test login with the stored credentials',
          params: IdParams,
          response: { 200: RegistryTestResult, ...errors },
        },
      },
      async (request) => {
        const result = await registries.test(request.params.id);
        auditInfo(request).details = result;
        return result;
      },
    );
    done();
  };
}
