import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Serves the web UI's files at the root; API paths never fall through to it. */
export async function registerWeb(app: FastifyInstance, root: string): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, permission: 'public', beforeSetup: true };
    });
    await scope.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
    });
  });
}
