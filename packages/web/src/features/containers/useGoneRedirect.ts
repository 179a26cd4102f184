import { ContainerGone } from '@berth/contract';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';

/**
 * A page opened on the id of a container that was replaced (a recreate keeps the name, not the
 * id) moves on to the container of that name; one that was just removed says so in its error.
 */
export function useGoneRedirect(error: unknown, page = ''): void {
  const host = useCurrentHost();
  const navigate = useNavigate();
  const gone =
    error instanceof ApiError && error.code === 'container_gone'
      ? ContainerGone.safeParse(error.details)
      : undefined;
  const current = gone?.success ? gone.data.current : null;
  useEffect(() => {
    if (current)
      void navigate(hostPath(host, `containers/${current.name}${page}`), { replace: true });
  }, [current?.name, page, navigate]);
}
