import { AppError } from '../core/errors.js';

/** The plain-HTTP side of a WebSocket-only route: say so, in the one error shape. */
export function upgradeRequired(): never {
  throw new AppError(
    426,
    'upgrade_required',
    'This is a WebSocket endpoint: connect with a WebSocket client',
  );
}
