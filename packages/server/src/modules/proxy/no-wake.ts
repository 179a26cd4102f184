import { AppError } from '../../core/errors.js';
import type { WakeControl } from './proxy-ports.js';

/**
 * The wake side while none is given (services.ts): no route is ever asleep, so every route
 * points at its target, and waking or sleeping one is refused with a clear answer.
 */
export class NoWake implements WakeControl {
  pointsAtWaker(): boolean {
    return false;
  }

  view(): null {
    return null;
  }

  routeChanged(): void {
    // Nothing to keep: without a wake side no route sleeps.
  }

  waker(): null {
    return null;
  }

  wakerAddress(): null {
    return null;
  }

  accessLogAddress(): null {
    return null;
  }

  wake(): Promise<void> {
    return Promise.reject(unavailable());
  }

  sleep(): Promise<void> {
    return Promise.reject(unavailable());
  }
}

function unavailable(): AppError {
  return AppError.conflict('wake_unavailable', 'Wake-on-demand is not running in this Berth');
}
