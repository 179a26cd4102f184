import { IdParams } from '../auth.js';
import { ErrorBody, NoContent } from '../errors.js';
import {
  ChannelCreate,
  ChannelList,
  ChannelUpdate,
  ChannelView,
  DeliveriesQuery,
  DeliveryList,
  DeliveryResult,
} from '../notifications.js';
import { httpRoute } from '../route.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['notifications'];

/** Notification channels (admins only): secrets go in, never come out; deliveries recorded. */
export const notificationsRoutes = {
  listChannels: httpRoute({
    method: 'GET',
    path: '/api/notifications/channels',
    tags,
    summary: 'Notification channels (without their secrets)',
    permission: 'admin',
    responses: { 200: ChannelList },
  }),
  createChannel: httpRoute({
    method: 'POST',
    path: '/api/notifications/channels',
    tags,
    summary: 'Add a channel: email, webhook, Slack, Discord, ntfy or Gotify',
    description:
      'Webhook bodies are JSON `{ version: 1, event, sentAt, deliveryId, channel: { id, name }, ' +
      'notification: { title, body, severity, status, url?, fields?, alertId?, ruleId?, hostId?, ' +
      'at } }`, event being `alert.firing`, `alert.resolved` or `test`. With a secret, ' +
      '`X-Berth-Signature: sha256=<hex HMAC-SHA256 of the raw body under the secret>` and ' +
      '`X-Berth-Timestamp: <unix seconds>` (the same instant as `sentAt`, inside the signed body).',
    permission: 'admin',
    audit: 'notification-channel.create',
    body: ChannelCreate,
    responses: { 201: ChannelView, ...errors },
  }),
  getChannel: httpRoute({
    method: 'GET',
    path: '/api/notifications/channels/:id',
    tags,
    summary: 'One channel',
    permission: 'admin',
    params: IdParams,
    responses: { 200: ChannelView, ...errors },
  }),
  updateChannel: httpRoute({
    method: 'PATCH',
    path: '/api/notifications/channels/:id',
    tags,
    summary: 'Change a channel; secrets not given are kept',
    permission: 'admin',
    audit: 'notification-channel.update',
    params: IdParams,
    body: ChannelUpdate,
    responses: { 200: ChannelView, ...errors },
  }),
  removeChannel: httpRoute({
    method: 'DELETE',
    path: '/api/notifications/channels/:id',
    tags,
    summary: 'Delete a channel and its delivery records',
    permission: 'admin',
    audit: 'notification-channel.delete',
    params: IdParams,
    responses: { 204: NoContent, ...errors },
  }),
  testChannel: httpRoute({
    method: 'POST',
    path: '/api/notifications/channels/:id/test',
    tags,
    summary: 'Send a test notification now; answers sent, or failed with the reason',
    permission: 'admin',
    audit: 'notification-channel.test',
    params: IdParams,
    responses: { 200: DeliveryResult, ...errors },
  }),
  deliveries: httpRoute({
    method: 'GET',
    path: '/api/notifications/deliveries',
    tags,
    summary: 'Delivery records, newest first: pending, sent, or failed with the reason',
    permission: 'admin',
    query: DeliveriesQuery,
    responses: { 200: DeliveryList, 400: ErrorBody },
  }),
};
