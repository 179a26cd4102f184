import type { ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { Client, type ClientChannel } from 'ssh2';
import { hostKeyOf } from './ssh-connection.js';
import { SocketShape } from './socket-shape.js';

/** The socket path an agent serves its engine on, inside its SSH session. */
export const AGENT_ENGINE_SOCKET = '/engine';

/** A connection's failure while the agent is away: the engine state reads it as unreachable. */
export class AgentDownError extends Error {
  readonly code = 'EAGENTDOWN';
  constructor(message: string) {
    super(message);
    this.name = 'AgentDownError';
  }
}

/**
 * Berth's side of an agent's connection: an SSH client session over the WebSocket the agent
 * dialed. Berth is the SSH client; the agent serves its own key pair as the host key, so every
 * handshake is a signature over fresh key-exchange values: a recorded session replayed fails.
 * Resolves once the session is ready, or rejects naming why.
 */
export function openAgentSession(
  transport: Duplex,
  fingerprint: string,
  timeoutMs = 10_000,
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refusal: Error | null = null;
    let ready = false;
    client.on('ready', () => {
      ready = true;
      resolve(client);
    });
    client.on('error', (err: Error) => {
      if (!ready) reject(refusal ?? err);
    });
    client.on('close', () => {
      if (!ready) reject(refusal ?? new Error('the agent closed before its SSH session was ready'));
    });
    client.connect({
      sock: transport,
      username: 'berth',
      readyTimeout: timeoutMs,
      // A dead connection (a cable pulled) is noticed while nothing is sent.
      keepaliveInterval: 10_000,
      keepaliveCountMax: 2,
      hostVerifier: (key: Buffer) => {
        const seen = hostKeyOf(key).fingerprint;
        if (seen === fingerprint) return true;
        refusal = new Error(`the agent proved key ${seen}, not its recorded ${fingerprint}`);
        return false;
      },
    });
  });
}

interface Session {
  client: Client;
  since: Date;
  remoteAddress: string;
  /** Ends the session's connection, telling the agent why when `refusal` says (it stops). */
  end: (refusal: string | null) => void;
  /** Its open Engine API connections: they end with it (a stream reading one learns at once). */
  sockets: Set<TunnelSocket>;
}

/**
 * One agent host's tunnel: the SSH session of its agent while it is connected, and why not
 * while it is not. Every Engine API connection is a channel of the session to the agent's
 * engine socket, with SSH's own per-channel window: a stream nobody reads stops its sender
 * there, without holding back the others or growing memory.
 */
export class AgentTunnel {
  private session: Session | null = null;
  private readonly listeners = new Set<(connected: boolean) => void>();

  constructor(
    readonly hostId: string,
    /** Why there is no session: what a request meets while the agent is away. */
    public downReason: string,
  ) {}

  get connected(): boolean {
    return this.session !== null;
  }

  get connectedSince(): Date | null {
    return this.session?.since ?? null;
  }

  /** Takes a ready session as the host's; one before it is ended. */
  attach(client: Client, remoteAddress: string, end: (refusal: string | null) => void): void {
    const before = this.session;
    const session: Session = { client, since: new Date(), remoteAddress, end, sockets: new Set() };
    this.session = session;
    client.on('close', () => {
      endSockets(session, 'the agent disconnected');
      if (this.session !== session) return;
      this.session = null;
      this.downReason = `the agent disconnected at ${new Date().toISOString()} and has not come back yet`;
      this.notify(false);
    });
    if (before) {
      // Its pooled connections must not carry another request into a session that is over.
      endSockets(before, 'a new connection of the agent took over');
      before.end('replaced: a new connection of this agent took over');
    }
    this.notify(true);
  }

  /**
   * Ends the session, if any; requests meet `reason` until the agent is back. With a
   * `refusal` (`<code>: <message>`) the agent is told it may not come back, and stops.
   */
  disconnect(reason: string, refusal: string | null): void {
    const session = this.session;
    this.downReason = reason;
    if (!session) return;
    this.session = null;
    session.end(refusal);
    endSockets(session, reason);
    this.notify(false);
  }

  /** Called with true when a session starts and false when it ends. */
  onChange(listener: (connected: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs one of the agent's own commands (`rotate-key`) and returns what it printed. */
  exec(command: string): Promise<string> {
    const session = this.session;
    if (!session) return Promise.reject(new AgentDownError(this.downReason));
    return new Promise((resolve, reject) => {
      session.client.exec(command, (err, channel) => {
        if (err) return reject(err);
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let code: number | null = null;
        channel.on('data', (chunk: Buffer) => out.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => errOut.push(chunk));
        channel.on('exit', (exit: number | null) => (code = exit));
        channel.on('close', () => {
          if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
          else
            reject(
              new Error(
                Buffer.concat(errOut).toString('utf8').trim() ||
                  `the agent's ${command} ended with ${code ?? 'no status'}`,
              ),
            );
        });
      });
    });
  }

  /** An Engine API connection, as http's `createConnection` hands one over. */
  readonly createConnection = (
    _options: ClientRequestArgs,
    oncreate: (err: Error | null, socket: Duplex) => void,
  ): undefined => {
    const fail = oncreate as (err: Error) => void;
    const session = this.session;
    if (!session) {
      fail(new AgentDownError(this.downReason));
      return undefined;
    }
    session.client.openssh_forwardOutStreamLocal(AGENT_ENGINE_SOCKET, (err, channel) => {
      if (err) {
        fail(new AgentDownError(`the agent refused a connection to its engine: ${err.message}`));
        return;
      }
      const socket = new TunnelSocket(channel);
      session.sockets.add(socket);
      socket.once('close', () => session.sockets.delete(socket));
      oncreate(null, socket);
    });
    return undefined;
  };

  private notify(connected: boolean): void {
    for (const listener of this.listeners) listener(connected);
  }
}

function endSockets(session: Session, reason: string): void {
  for (const socket of session.sockets) socket.destroy(new AgentDownError(reason));
  session.sockets.clear();
}

/** One Engine API connection: a channel of the agent's session. */
class TunnelSocket extends SocketShape {
  constructor(channel: ClientChannel) {
    super(channel);
    channel.on('data', (chunk: Buffer) => {
      this.touch();
      if (!this.push(chunk)) channel.pause();
    });
    channel.on('end', () => this.push(null));
    channel.on('close', () => {
      this.clearIdle();
      if (!this.readableEnded) this.push(null);
      if (!this.destroyed) this.destroy();
    });
    channel.on('error', (err: Error) => this.destroy(err));
  }

  override _read(): void {
    this.channel.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void) {
    this.touch();
    this.channel.write(chunk, done);
  }
}
