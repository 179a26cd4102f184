import { useQueryClient } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { useLiveSocket } from '../../api/live-socket.js';
import { keys } from '../../api/queries.js';

/**
 * Keeps a host's card current from its events stream: when the host is reached or lost (or
 * was, before the stream opened), or its agent's state changes, the host list is read again.
 * No timer.
 */
export function HostWatch({ host, reachable }: { host: string; reachable: boolean }) {
  const queryClient = useQueryClient();
  useLiveSocket(
    client.events.stream,
    { params: { host } },
    {
      onMessage: (message) => {
        // An agent host's agent connected, left, paired, rotated or was revoked: the card says.
        const changed =
          message.type === 'reachability' ||
          message.type === 'agent' ||
          (message.type === 'hello' && message.reachable !== reachable);
        if (changed) void queryClient.invalidateQueries({ queryKey: keys.hosts, exact: true });
      },
    },
  );
  return null;
}
