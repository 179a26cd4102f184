import { ARCHIVE_UPLOAD_MAX_BYTES } from '@berth/contract';
import type { FastifyInstance } from 'fastify';

/** A raw body as bytes (none sent is an empty one). */
export function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** Archives to unpack come whole, up to the contract's limit, and are checked before any is written. */
export function addArchiveParser(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-tar',
    { parseAs: 'buffer', bodyLimit: ARCHIVE_UPLOAD_MAX_BYTES },
    (_req, body, next) => {
      next(null, body);
    },
  );
}
