import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * Routes whose answers are left as they are: downloads (archives are compressed already, and a
 * file being saved should stream byte for byte) and WebSocket streams.
 */
const UNCOMPRESSED = /\/(download|save)$/;

/**
 * Compresses answers (JSON, the web app's files without a precompressed copy) with brotli or
 * gzip when the client accepts one. Registered before the routes: it decides per route.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (UNCOMPRESSED.test(route.url) || 'wsHandler' in route) route.compress = false;
  });
  await app.register(fastifyCompress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    // Request bodies are taken as sent: no inflating of what a client claims is compressed.
    globalDecompression: false,
  });
}
