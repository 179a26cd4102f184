import { useSyncExternalStore } from 'react';
import { useMatch } from 'react-router';
import { useHosts } from '../api/queries.js';

/** The host a signed-in page shows before the URL names one and no host list is known. */
export const DEFAULT_HOST = 'local';

const LAST_HOST_KEY = 'berth.lastHost';
const listeners = new Set<() => void>();

/**
 * Where a host's page is: `/hosts/<host>/<rest>`. Every host-scoped page lives under its
 * host, so deep links, back and forward keep the host.
 */
export function hostPath(host: string, rest = ''): string {
  const tail = rest.replace(/^\/+/, '');
  return `/hosts/${encodeURIComponent(host)}${tail ? `/${tail}` : ''}`;
}

/** The host a `/hosts/<host>/<section>/…` path names and its section, else null. */
export function parseHostPath(pathname: string): { host: string; section: string | null } | null {
  const match = /^\/hosts\/([^/]+)(?:\/([^/]+))?/.exec(pathname);
  if (!match?.[1]) return null;
  return { host: decodeURIComponent(match[1]), section: match[2] ?? null };
}

/**
 * Where choosing another host leads from a page: the same section on that host (a detail page
 * leads to its section's list there, as the thing it showed is on the old host), else the new
 * host's containers.
 */
export function switchHostPath(pathname: string, host: string): string {
  return hostPath(host, parseHostPath(pathname)?.section ?? 'containers');
}

function lastHost(): string | null {
  return localStorage.getItem(LAST_HOST_KEY);
}

/** Remembers the host last shown in this browser, so the next non-host URL opens on it. */
export function rememberHost(host: string): void {
  if (lastHost() === host) return;
  localStorage.setItem(LAST_HOST_KEY, host);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The host to open when the URL names none: the last one used if still visible, else the first. */
export function preferredHost(visible: readonly string[], last: string | null): string {
  if (last !== null && visible.includes(last)) return last;
  return visible[0] ?? last ?? DEFAULT_HOST;
}

/** The host the URL names (`/hosts/:host/…`), or null outside a host's pages. */
export function useUrlHost(): string | null {
  return useMatch('/hosts/:host/*')?.params.host ?? null;
}

/**
 * The host of the current URL (`/hosts/:host/…`); outside one, the host last used in this
 * browser while the caller may still see it, else the first visible host.
 */
export function useCurrentHost(): string {
  const fromUrl = useUrlHost();
  const last = useSyncExternalStore(subscribe, lastHost);
  const hosts = useHosts();
  if (fromUrl !== null) return fromUrl;
  return preferredHost(hosts.data?.map((h) => h.id) ?? [], last);
}
