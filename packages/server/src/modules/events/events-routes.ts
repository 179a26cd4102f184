import { HostParams, NoClientMessages } from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { BoundedSender } from '../../http/bounded-sender.js';
import { acceptClientMessages } from '../../http/client-messages.js';
import { upgradeRequired } from '../../http/upgrade-required.js';
import { requireHost } from '../hosts/require-host.js';

/** WebSocket: the host's change feed, served from its engine state (no engine stream per client). */
export function eventsRoutes(hosts: EngineHosts): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.route({
      method: 'GET',
      url: '/api/hosts/:host/events',
      config: { permission: 'host:read' },
      schema: {
        tags: ['streams'],
        summary:
          'WebSocket: container, image, network and volume changes, and progress of pulls, pushes, builds, backups and restores',
        params: HostParams,
      },
      handler: upgradeRequired,
      wsHandler: (socket: WebSocket, request) => {
        const host = requireHost(hosts, request.params.host);
        const sender = new BoundedSender(socket);
        acceptClientMessages(socket, request.log, {
          schema: NoClientMessages,
          maxTextBytes: 4096,
          onMessage: () => undefined,
        });
        sender.json({ type: 'hello', host: host.id, reachable: host.state.status.reachable });
        const stopChanges = host.state.onChange((change) =>
          sender.json({ type: 'change', change }),
        );
        const stopProgress = host.progress.on((progress) =>
          sender.json({ type: 'progress', ...progress }),
        );
        const stopReachability = host.state.onReachability((reachable) =>
          sender.json({ type: 'reachability', host: host.id, reachable }),
        );
        socket.on('close', () => {
          stopChanges();
          stopProgress();
          stopReachability();
        });
      },
    });
    done();
  };
}
