import { NoClientMessages } from '@berth/contract';
import { BoundedSender } from '../../http/bounded-sender.js';
import { acceptClientMessages } from '../../http/client-messages.js';
import { contractRoutes } from '../../http/contract-routes.js';
import type { EventsService } from './events-service.js';

/** WebSocket: the host's change feed, served from its engine state (no engine stream per client). */
export function eventsRoutes(events: EventsService) {
  return contractRoutes('events', {
    stream: (socket, request) => {
      const sender = new BoundedSender(socket);
      acceptClientMessages(socket, request.log, {
        schema: NoClientMessages,
        maxTextBytes: 4096,
        onMessage: () => undefined,
      });
      socket.on(
        'close',
        events.follow(request.params.host, (message) => sender.json(message)),
      );
    },
  });
}
