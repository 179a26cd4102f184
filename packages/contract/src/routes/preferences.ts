import { Preferences, PreferencesUpdate } from '../auth.js';
import { ErrorBody } from '../errors.js';
import { httpRoute } from '../route.js';

/** The signed-in user's own UI preferences. */
export const preferencesRoutes = {
  get: httpRoute({
    method: 'GET',
    path: '/api/me/preferences',
    tags: ['me'],
    summary: 'Your UI preferences (show commands, theme)',
    permission: 'authenticated',
    // Readable while a password change is due: the page asking for it is themed too.
    allowRestricted: true,
    responses: { 200: Preferences },
  }),
  update: httpRoute({
    method: 'PATCH',
    path: '/api/me/preferences',
    tags: ['me'],
    summary: 'Change your UI preferences; the fields left out stay as they are',
    permission: 'authenticated',
    audit: 'preferences.update',
    body: PreferencesUpdate,
    responses: { 200: Preferences, 400: ErrorBody },
  }),
};
