import { useEffect } from 'react';
import { Link, Navigate, Outlet, useLocation, useParams } from 'react-router';
import { useHosts } from '../api/queries.js';
import { ErrorNotice, Page } from '../components/ui.js';
import { hostPath, rememberHost, useCurrentHost } from './host-paths.js';

/**
 * The pages of one host (`/hosts/:host/…`): shown only for a host the caller may see, each
 * page mounted afresh when the host changes (no state of one host leaks into another's page),
 * and the host remembered as the one to open next time.
 */
export function HostScope() {
  const host = useParams().host ?? '';
  const hosts = useHosts();
  const known = hosts.data?.some((h) => h.id === host) ?? false;
  useEffect(() => {
    if (known) rememberHost(host);
  }, [host, known]);
  if (hosts.isPending) return <p className="loading">Loading…</p>;
  if (hosts.isError) return <ErrorNotice error={hosts.error} />;
  if (!known) return <NoSuchHost host={host} />;
  return <Outlet key={host} />;
}

/** An unknown host, or one the caller is not granted: the same answer, so neither is told apart. */
export function NoSuchHost({ host }: { host: string }) {
  return (
    <Page title="No such host">
      <p>
        There is no host <code>{host}</code> that you may see. It may have been removed, or you have
        not been granted it.
      </p>
      <p>
        <Link to="/hosts">See the hosts you can use</Link>
      </p>
    </Page>
  );
}

/**
 * A page's address from before hosts were in every URL (`/containers/web`): the same page on
 * the current host, so bookmarks keep working.
 */
export function OnCurrentHost() {
  const hosts = useHosts();
  const host = useCurrentHost();
  const { pathname, search, hash } = useLocation();
  if (hosts.isPending) return <p className="loading">Loading…</p>;
  return <Navigate to={`${hostPath(host, pathname)}${search}${hash}`} replace />;
}
