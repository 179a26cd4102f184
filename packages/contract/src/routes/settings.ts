import { Settings, SettingsUpdate } from '../audit.js';
import { ErrorBody } from '../errors.js';
import { httpRoute } from '../route.js';

export const settingsRoutes = {
  get: httpRoute({
    method: 'GET',
    path: '/api/settings',
    tags: ['settings'],
    summary: 'Instance settings',
    permission: 'admin',
    responses: { 200: Settings },
  }),
  update: httpRoute({
    method: 'PATCH',
    path: '/api/settings',
    tags: ['settings'],
    summary: 'Change instance settings',
    permission: 'admin',
    audit: 'settings.update',
    body: SettingsUpdate,
    responses: { 200: Settings, 400: ErrorBody },
  }),
};
