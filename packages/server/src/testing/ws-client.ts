import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { waitFor } from './wait-for.js';

/** A WebSocket opened through the app (no port), recording every message it receives. */
export class WsRecorder {
  readonly texts: Record<string, unknown>[] = [];
  readonly binary: Buffer[] = [];
  closed = false;
  /** The close code and reason the server sent (null until the socket closed). */
  closeCode: number | null = null;
  closeReason: string | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.binary.push(data);
      else this.texts.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.closed = true;
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
    });
  }

  static async open(
    app: FastifyInstance,
    path: string,
    headers: Record<string, string>,
  ): Promise<WsRecorder> {
    let recorder: WsRecorder | null = null;
    await app.injectWS(
      path,
      { headers },
      {
        onInit: (ws) => {
          recorder = new WsRecorder(ws);
        },
      },
    );
    if (!recorder) throw new Error('the WebSocket did not open');
    return recorder;
  }

  of(type: string): Record<string, unknown>[] {
    return this.texts.filter((m) => m.type === type);
  }

  /** Resolves with the close code and reason once the socket has closed. */
  async whenClosed(): Promise<{ code: number | null; reason: string | null }> {
    await this.waitFor('the socket closed', () => this.closed);
    return { code: this.closeCode, reason: this.closeReason };
  }

  /** Every log line received, across the `lines` batches. */
  logLines(): Record<string, unknown>[] {
    return this.of('lines').flatMap((m) => m.lines as Record<string, unknown>[]);
  }

  output(): string {
    return Buffer.concat(this.binary).toString('utf8');
  }

  waitFor<T>(what: string, check: () => T | undefined | false): Promise<T> {
    return waitFor(what, check, 20_000);
  }

  /** Drops the connection, as a closed browser tab does. (The in-process socket pair used by
   * injectWS never completes a graceful close handshake, so a polite close() would hang.) */
  close(): void {
    this.socket.terminate();
  }
}
