import { useParams } from 'react-router';

/** The host a signed-in page shows before the URL names one. */
export const DEFAULT_HOST = 'local';

/**
 * Where a host's page is: `/hosts/<host>/<rest>`. Every host-scoped page lives under its
 * host, so deep links, back and forward keep the host.
 */
export function hostPath(host: string, rest = ''): string {
  const tail = rest.replace(/^\/+/, '');
  return `/hosts/${encodeURIComponent(host)}${tail ? `/${tail}` : ''}`;
}

/** The host of the current URL (`/hosts/:host/…`), or the default host outside one. */
export function useCurrentHost(): string {
  return useParams().host ?? DEFAULT_HOST;
}
