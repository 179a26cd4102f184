import { ErrorBody, HostParams, HostSecurity, HostSecurityView } from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { HostSecurityService } from './host-security-service.js';

/** A host's security settings: anyone who sees the host reads them, admins change them. */
export function hostSecurityRoutes(service: HostSecurityService): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/api/hosts/:host/security',
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['hosts'],
          summary: 'What non-admins may ask of this host when they create containers',
          params: HostParams,
          response: { 200: HostSecurityView, 404: ErrorBody },
        },
      },
      (request) => service.get(request.params.host),
    );
    app.put(
      '/api/hosts/:host/security',
      {
        config: { permission: 'admin', audit: 'host.security.update' },
        schema: {
          tags: ['hosts'],
          summary: "Replace the host's security settings; what the body leaves out is refused",
          description: 'Admins are never restricted by these settings.',
          params: HostParams,
          body: HostSecurity,
          response: { 200: HostSecurityView, 400: ErrorBody, 404: ErrorBody },
        },
      },
      (request) => {
        auditInfo(request).details = { ...request.body };
        return service.update(
          request.params.host,
          request.body,
          requirePrincipal(request).user.username,
        );
      },
    );
    done();
  };
}
