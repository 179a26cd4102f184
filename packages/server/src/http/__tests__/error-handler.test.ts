import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { EngineRequestError, EngineUnreachableError } from '../../docker/engine-errors.js';
import { testLogger } from '../../testing/silent-logger.js';
import { registerErrorHandling } from '../error-handler.js';

/** A small app with the real error handling and routes that fail in each way a route can. */
describe('the one error shape', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const loggerInstance: FastifyBaseLogger = testLogger();
    app = Fastify({ loggerInstance, bodyLimit: 64 });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    const typed = app.withTypeProvider<ZodTypeProvider>();
    typed.post(
      '/things',
      { schema: { body: z.strictObject({ name: z.string().min(1), size: z.number().int() }) } },
      (req) => ({ ok: req.body.name }),
    );
    typed.get('/conflict', () => {
      throw AppError.conflict('port_in_use', 'Port 8080 is taken', { port: 8080 });
    });
    typed.get('/boom', () => {
      throw new Error('secret internal detail at /srv/x.ts:12');
    });
    typed.get('/engine-down', () => {
      throw new EngineUnreachableError('unix:///x.sock', 'ENOENT');
    });
    typed.get('/engine-refused', () => {
      throw new EngineRequestError(409, 'DELETE', '/images/x', 'image is in use by a container');
    });
    typed.get('/engine-broken', () => {
      throw new EngineRequestError(500, 'POST', '/containers/x/start', 'OCI runtime create failed');
    });
    typed.get('/engine-busy', () => {
      throw new EngineRequestError(
        500,
        'POST',
        '/volumes/prune',
        'a disk usage operation is already running',
      );
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('names every failing field of a bad body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: '', size: 'big' },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<{
      error: { code: string; message: string; details: { issues: { field: string }[] } };
    }>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues.map((i) => i.field).sort()).toEqual([
      'body.name',
      'body.size',
    ]);
    expect(body.error.message).toContain('body.size');
  });

  it('rejects unknown fields in a strict body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 'a', size: 1, extra: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect(res.body).toContain('extra');
  });

  it('answers malformed JSON and oversized bodies in the same shape', async () => {
    const broken = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({
      error: { code: 'invalid_json', details: { issues: [{ field: 'body' }] } },
    });

    const big = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 'x'.repeat(200), size: 1 },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('passes an AppError through with its status, code and details', async () => {
    const res = await app.inject({ method: 'GET', url: '/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: { code: 'port_in_use', message: 'Port 8080 is taken', details: { port: 8080 } },
    });
  });

  it('hides internal errors behind a generic 500 with the request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('/srv/x.ts');
    expect(res.json()).toMatchObject({
      error: { code: 'internal', details: { requestId: expect.any(String) } },
    });
  });

  it('maps engine failures: unreachable to 503, refusals to 502 with the engine message', async () => {
    const down = await app.inject({ method: 'GET', url: '/engine-down' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ error: { code: 'host_unreachable' } });
    const refused = await app.inject({ method: 'GET', url: '/engine-refused' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: 'engine_conflict', message: expect.stringContaining('in use') },
    });
    // A 500 that only says the engine is busy with the same thing is the caller's conflict.
    const busy = await app.inject({ method: 'GET', url: '/engine-busy' });
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ error: { code: 'engine_conflict' } });
    const broken = await app.inject({ method: 'GET', url: '/engine-broken' });
    expect(broken.statusCode).toBe(502);
    expect(broken.json()).toMatchObject({
      error: { code: 'engine_error', message: expect.stringContaining('OCI runtime') },
    });
  });
});
