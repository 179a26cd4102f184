import { useEffect, useState } from 'react';

/**
 * The seconds left before the engine kills a container that has not left on SIGTERM: a stop
 * waits for the container's stop timeout, and this says so instead of seeming to hang.
 */
export function StopCountdown({ killAt }: { killAt: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.ceil((killAt - now) / 1000));
  return (
    <span
      className="stop-countdown"
      data-testid="stop-countdown"
      data-seconds={left}
      aria-live="off"
      title="The engine kills it then, unless it exits on SIGTERM before"
    >
      {left > 0 ? ` · killed in ${left} s` : ' · killing it'}
    </span>
  );
}
