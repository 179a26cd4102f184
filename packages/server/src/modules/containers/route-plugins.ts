import type { FastifyPluginCallback } from 'fastify';

/** One plugin that registers several route groups in the same context, in order. */
export function routePlugins(...plugins: FastifyPluginCallback[]): FastifyPluginCallback {
  return (app, options, done) => {
    const run = plugins.reduceRight<(err?: Error) => void>(
      (next, plugin) => (err) => {
        if (err) done(err);
        else plugin(app, options, next);
      },
      done,
    );
    run();
  };
}
