import { HostParams } from '../hosts.js';
import { streamRoute } from '../route.js';
import { EventsMessage, NoClientMessages } from '../streams.js';

export const eventsRoutes = {
  stream: streamRoute({
    path: '/api/hosts/:host/events',
    tags: ['streams'],
    summary:
      'WebSocket: container, image, network and volume changes, and progress of pulls, pushes, builds, backups and restores',
    permission: 'host:read',
    params: HostParams,
    client: NoClientMessages,
    server: EventsMessage,
  }),
};
