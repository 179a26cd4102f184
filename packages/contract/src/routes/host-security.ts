import { ErrorBody } from '../errors.js';
import { HostSecurity, HostSecurityView } from '../host-security.js';
import { HostParams } from '../hosts.js';
import { httpRoute } from '../route.js';

/** A host's security settings: anyone who sees the host reads them, admins change them. */
export const hostSecurityRoutes = {
  get: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/security',
    tags: ['hosts'],
    summary: 'What non-admins may ask of this host when they create containers',
    permission: 'host:read',
    params: HostParams,
    responses: { 200: HostSecurityView, 404: ErrorBody },
  }),
  update: httpRoute({
    method: 'PUT',
    path: '/api/hosts/:host/security',
    tags: ['hosts'],
    summary: "Replace the host's security settings; what the body leaves out is refused",
    description: 'Admins are never restricted by these settings.',
    permission: 'admin',
    audit: 'host.security.update',
    params: HostParams,
    body: HostSecurity,
    responses: { 200: HostSecurityView, 400: ErrorBody, 404: ErrorBody },
  }),
};
