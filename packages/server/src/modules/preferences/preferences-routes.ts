import { ErrorBody, Preferences, PreferencesUpdate } from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { PreferencesService } from './preferences-service.js';

/** GET and PATCH /api/me/preferences: the signed-in user's own UI preferences. */
export function preferencesRoutes(preferences: PreferencesService): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/api/me/preferences',
      {
        // Readable while a password change is due: the page asking for it is themed too.
        config: { permission: 'authenticated', allowRestricted: true },
        schema: {
          tags: ['me'],
          summary: 'Your UI preferences (show commands, theme)',
          response: { 200: Preferences },
        },
      },
      (request) => preferences.get(requirePrincipal(request).user.id),
    );
    app.patch(
      '/api/me/preferences',
      {
        config: { permission: 'authenticated', audit: 'preferences.update' },
        schema: {
          tags: ['me'],
          summary: 'Change your UI preferences; the fields left out stay as they are',
          body: PreferencesUpdate,
          response: { 200: Preferences, 400: ErrorBody },
        },
      },
      async (request) => {
        auditInfo(request).details = { ...request.body };
        return preferences.update(requirePrincipal(request).user.id, request.body);
      },
    );
    done();
  };
}
