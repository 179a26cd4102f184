/** N restarts within M minutes make a restart loop; the loop ends after M quiet minutes. */
export interface RestartLoopPolicy {
  count: number;
  windowMs: number;
}

export const DEFAULT_RESTART_LOOP: RestartLoopPolicy = { count: 5, windowMs: 10 * 60_000 };

interface Track {
  /** Times of the restarts within the window, oldest first. */
  restarts: number[];
  diedAt: number | null;
  inLoop: boolean;
}

/**
 * Counts each container's restarts (a start that follows its death) and says when they make
 * a loop: once per loop, not once per restart.
 */
export class RestartLoops {
  private readonly tracks = new Map<string, Track>();

  constructor(private readonly policy: RestartLoopPolicy) {}

  died(key: string, at: number): void {
    this.track(key).diedAt = at;
  }

  /** A start: true when it makes the container's restarts a loop (only the first time). */
  started(key: string, at: number): { loopBegins: boolean; restarts: number } {
    const track = this.track(key);
    this.expire(track, at);
    if (track.diedAt === null) return { loopBegins: false, restarts: track.restarts.length };
    track.diedAt = null;
    track.restarts.push(at);
    const loopBegins = !track.inLoop && track.restarts.length >= this.policy.count;
    if (loopBegins) track.inLoop = true;
    return { loopBegins, restarts: track.restarts.length };
  }

  /** Whether the container is restarting in a loop now (it restarted within the window). */
  inLoop(key: string, now: number): boolean {
    const track = this.tracks.get(key);
    if (!track) return false;
    this.expire(track, now);
    return track.inLoop;
  }

  forget(key: string): void {
    this.tracks.delete(key);
  }

  private expire(track: Track, now: number): void {
    while (track.restarts[0] !== undefined && track.restarts[0] <= now - this.policy.windowMs)
      track.restarts.shift();
    const last = track.restarts.at(-1);
    if (track.inLoop && (last === undefined || last <= now - this.policy.windowMs))
      track.inLoop = false;
  }

  private track(key: string): Track {
    let track = this.tracks.get(key);
    if (!track) {
      track = { restarts: [], diedAt: null, inLoop: false };
      this.tracks.set(key, track);
    }
    return track;
  }
}
