import { Readable } from 'node:stream';
import { contractRoutes } from '../../http/contract-routes.js';
import type { AuditService } from './audit-service.js';

export function auditRoutes(service: AuditService) {
  return contractRoutes('audit', {
    list: (request) => service.page(request.query),
    export: (request, reply) => {
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
  });
}
