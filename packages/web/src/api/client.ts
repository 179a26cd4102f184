import {
  api as routes,
  ApiError,
  ContractMismatch,
  createApiClient,
  NetworkError,
} from '@berth/contract';

export { ApiError, ContractMismatch, NetworkError };

/**
 * Answers and stream messages are checked against the contract in development, and in the
 * browser tests (which set `berth.checkContract`): a mismatch is a bug, and fails loudly.
 */
export const checkContract =
  import.meta.env.DEV ||
  (typeof localStorage !== 'undefined' && localStorage.getItem('berth.checkContract') === '1');

/**
 * The typed client of the route contract: `client.containers.start({params: {host, id}})`.
 * Same origin, with the session cookie; the browser sends the Origin header the server's CSRF
 * check wants on every change. The web UI calls the API through it only.
 */
export const client = createApiClient(routes, {
  validate: checkContract,
  // eslint-disable-next-line no-console -- where developers and the browser tests see it
  onMismatch: (error) => console.error(error.message),
});

/** ws:// or wss:// for a path of this server (a stream's `url(…)`). */
export function socketUrl(path: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${path}`;
}
