import {
  IdParams,
  SessionList,
  SessionsEnded,
  TokenCreate,
  TokenCreated,
  TokenList,
} from '../auth.js';
import { ErrorBody, NoContent } from '../errors.js';
import { httpRoute } from '../route.js';

/** The signed-in user's sessions. */
export const sessionsRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/me/sessions',
    tags: ['me'],
    summary: 'Your sessions',
    permission: 'authenticated',
    responses: { 200: SessionList },
  }),
  removeOthers: httpRoute({
    method: 'DELETE',
    path: '/api/me/sessions',
    tags: ['me'],
    summary: 'End all your sessions but this one',
    permission: 'authenticated',
    audit: 'session.revoke_others',
    responses: { 200: SessionsEnded },
  }),
  remove: httpRoute({
    method: 'DELETE',
    path: '/api/me/sessions/:id',
    tags: ['me'],
    summary: 'End one of your sessions',
    permission: 'authenticated',
    audit: 'session.revoke',
    params: IdParams,
    responses: { 204: NoContent, 404: ErrorBody },
  }),
};

/** The signed-in user's API tokens. */
export const tokensRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/me/tokens',
    tags: ['me'],
    summary: 'Your API tokens',
    permission: 'authenticated',
    responses: { 200: TokenList },
  }),
  create: httpRoute({
    method: 'POST',
    path: '/api/me/tokens',
    tags: ['me'],
    summary: 'Create an API token; its secret is shown only in this answer',
    permission: 'authenticated',
    audit: 'token.create',
    body: TokenCreate,
    responses: { 201: TokenCreated, 400: ErrorBody, 403: ErrorBody },
  }),
  remove: httpRoute({
    method: 'DELETE',
    path: '/api/me/tokens/:id',
    tags: ['me'],
    summary: 'Revoke one of your API tokens',
    permission: 'authenticated',
    audit: 'token.revoke',
    params: IdParams,
    responses: { 204: NoContent, 404: ErrorBody },
  }),
};
