import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Vite's hashed output (`assets/index-BdX3k9aQ.js`, or its `.br`/`.gz`): named by its content. */
const HASHED_ASSET = /[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.[a-z0-9]+(?:\.br|\.gz)?$/i;

export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the web UI's files at the root; API paths never fall through to it. Files come from
 * disk as streams, the build's precompressed `.br`/`.gz` copies when the client accepts them;
 * hashed assets may be cached for good, everything else (index.html) is revalidated.
 */
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
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.header('cache-control', HASHED_ASSET.test(path) ? IMMUTABLE : 'no-cache');
      },
    });
  });
}
