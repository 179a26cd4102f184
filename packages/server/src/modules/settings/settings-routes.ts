import { ErrorBody, Settings, SettingsUpdate } from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditInfo } from '../../http/route-permissions.js';
import type { SettingsService } from './settings-service.js';

export function settingsRoutes(service: SettingsService): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/api/settings',
      {
        config: { permission: 'admin' },
        schema: { tags: ['settings'], summary: 'Instance settings', response: { 200: Settings } },
      },
      () => service.get(),
    );
    app.patch(
      '/api/settings',
      {
        config: { permission: 'admin', audit: 'settings.update' },
        schema: {
          tags: ['settings'],
          summary: 'Change instance settings',
          body: SettingsUpdate,
          response: { 200: Settings, 400: ErrorBody },
        },
      },
      (request) => {
        auditInfo(request).details = request.body;
        return service.update(request.body);
      },
    );
    done();
  };
}
