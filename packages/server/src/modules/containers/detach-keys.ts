/**
 * Reads a detach sequence out of what a client types, as docker's escape proxy does: bytes that
 * may begin the sequence are held back until the next byte shows whether it is one; a whole
 * sequence is never passed on (so the engine never sees it either) and ends the session.
 */
export class DetachKeysReader {
  private held = 0;

  constructor(private readonly sequence: readonly number[]) {}

  /** What to pass on of `chunk`, and whether the sequence was read (the rest is dropped). */
  feed(chunk: Buffer): { forward: Buffer; detached: boolean } {
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.sequence[this.held]) {
        this.held += 1;
        if (this.held === this.sequence.length) {
          this.held = 0;
          return { forward: Buffer.from(out), detached: true };
        }
        continue;
      }
      // Not the sequence after all: what was held back goes on, then this byte is looked at anew.
      out.push(...this.sequence.slice(0, this.held));
      this.held = 0;
      if (byte === this.sequence[0]) this.held = 1;
      else out.push(byte);
    }
    return { forward: Buffer.from(out), detached: false };
  }
}
