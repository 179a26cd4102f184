import { posix } from 'node:path';

/** Sockets that are root on the host wherever Docker or containerd are installed the usual way. */
export const USUAL_ENGINE_SOCKETS: readonly string[] = [
  '/var/run/docker.sock',
  '/run/containerd/containerd.sock',
];

/**
 * A host path as the kernel will resolve it, apart from symlinks: `..` and `.` folded,
 * repeated and trailing slashes dropped. Comparing cleaned paths is what stops
 * `/srv/data/../../etc` passing as "under /srv/data".
 */
export function cleanHostPath(path: string): string {
  const clean = posix.normalize(path.startsWith('/') ? path : `/${path}`);
  return clean.length > 1 ? clean.replace(/\/+$/, '') : clean;
}

/** Whether `path` is `base` or inside it, by whole segments (`/srv/database` is not under `/srv/data`). */
export function isUnder(path: string, base: string): boolean {
  return base === '/' || path === base || path.startsWith(`${base}/`);
}

/** `/var/run` is `/run` on every current distribution: a socket is reachable by either name. */
function aliases(path: string): string[] {
  if (path.startsWith('/var/run/')) return [path, path.slice('/var'.length)];
  if (path.startsWith('/run/')) return [path, `/var${path}`];
  return [path];
}

/** The engine sockets a bind of `source` reaches: the socket itself or a folder holding it. */
export function socketsExposedBy(source: string, extra: readonly string[]): string[] {
  const sockets = [...USUAL_ENGINE_SOCKETS, ...extra].map(cleanHostPath).flatMap(aliases);
  return [...new Set(sockets)].filter((socket) => isUnder(socket, source));
}
