import { ApiError } from '../../api/client.js';
import { ErrorNotice } from '../../components/ui.js';

/** The server answered that it has no such route: a Berth without the compose engine wired in. */
export const stacksMissing = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'route_not_found';

/** The error of a stacks page, said plainly; a server without stacks says so, not "404". */
export function StacksError({ error }: { error: unknown }) {
  if (!stacksMissing(error)) return <ErrorNotice error={error} />;
  return (
    <p className="notice notice-bad" role="alert" data-testid="stacks-unavailable">
      This Berth server does not offer stacks yet: its compose engine is not enabled. Containers,
      images, networks and volumes work as before.
    </p>
  );
}
