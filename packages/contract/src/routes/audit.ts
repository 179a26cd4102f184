import { AuditExportQuery, AuditPage, AuditQuery } from '../audit.js';
import { ErrorBody } from '../errors.js';
import { httpRoute } from '../route.js';

export const auditRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/audit',
    tags: ['audit'],
    summary: 'Audit entries, newest first; filter and page with `before`',
    permission: 'admin',
    query: AuditQuery,
    responses: { 200: AuditPage, 400: ErrorBody },
  }),
  export: httpRoute({
    method: 'GET',
    path: '/api/audit/export',
    tags: ['audit'],
    summary: 'Every matching entry as CSV or JSON, oldest first',
    description: 'A download: `text/csv` or `application/json` as `format` asks.',
    permission: 'admin',
    query: AuditExportQuery,
    download: 'text/csv',
    responses: { 400: ErrorBody },
  }),
};
