import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';

/** How often the health history is read again while shown (it changes when something breaks). */
const INCIDENTS_REFRESH_MS = 15_000;

/** A container's incidents (its health timeline), or a host's (the "what broke" feed). */
export function useIncidents(host: string, containerId: string | null) {
  return useQuery({
    queryKey: ['hosts', host, 'incidents', containerId],
    queryFn: () =>
      containerId === null
        ? client.healthHistory.incidents({ params: { host }, query: { limit: 200 } })
        : client.healthHistory.timeline({
            params: { host, id: containerId },
            query: { limit: 500 },
          }),
    refetchInterval: INCIDENTS_REFRESH_MS,
  });
}
