import { Readable } from 'node:stream';
import { AuditExportQuery, AuditPage, AuditQuery } from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { AuditService } from './audit-service.js';

export function auditRoutes(service: AuditService): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/api/audit',
      {
        config: { permission: 'admin' },
        schema: {
          tags: ['audit'],
          summary: 'Audit entries, newest first; filter and page with `before`',
          querystring: AuditQuery,
          response: { 200: AuditPage },
        },
      },
      (request) => service.page(request.query),
    );

    app.get(
      '/api/audit/export',
      {
        config: { permission: 'admin' },
        schema: {
          tags: ['audit'],
          summary: 'Every matching entry as CSV or JSON, oldest first',
          querystring: AuditExportQuery,
        },
      },
      (request, reply) => {
        const { format, ...filter } = request.query;
        const stamp = new Date().toISOString().slice(0, 10);
        void reply
          .header(
            'content-type',
            format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
          )
          .header('content-disposition', `attachment; filename="berth-audit-${stamp}.${format}"`);
        return reply.send(Readable.from(service.export(filter, format)));
      },
    );
    done();
  };
}
