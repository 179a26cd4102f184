import { createHash } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { isIP } from 'node:net';
import { connect as connectTls, type ConnectionOptions, type TLSSocket } from 'node:tls';
import {
  AGENT_REFUSED_CLOSE,
  AgentWelcome,
  parseJoinToken,
  type AgentHello,
  type AgentSelf,
} from '@berth/contract';
import ssh2 from 'ssh2';
import WebSocket, { createWebSocketStream } from 'ws';
import { serveChannel } from './engine-proxy.js';
import {
  keyFingerprint,
  tokenHash,
  type AgentKey,
  type AgentStateFile,
  type AgentStateStore,
} from './agent-state.js';

/** The agent must stop (a refusal, a pin that does not match): trying again would not help. */
export class AgentStop extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentStop';
  }
}

export interface SessionOptions {
  /** Berth's URL (https://…); from the state file when not given. */
  server: string | null;
  token: string | null;
  self: AgentSelf;
  store: AgentStateStore;
  /** The Engine API front every channel of the session is served by. */
  proxy: HttpServer;
  log: (line: string) => void;
  /** Called once the session is up (the reconnect backoff starts again). */
  onConnected: () => void;
  /** Ends the session (the agent is stopping). */
  signal: AbortSignal;
  /** How often the connection is checked (a ping Berth must answer before the next one). */
  heartbeatMs: number;
}

/** Refusals worth another try: another connection of this agent won, a handshake broke. */
const RETRYABLE = ['replaced', 'handshake_failed'];

/** The SSH socket path Berth opens channels to: the engine. */
const ENGINE_SOCKET = '/engine';

/**
 * A new ed25519 key pair. ssh2 writes about 1 in 250 of the private keys it generates in a form
 * its own parser then refuses ("Malformed OpenSSH private key"): such a pair is made again.
 */
export function generateKey(): AgentKey {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'berth-agent' });
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error))
      return { private: pair.private, public: pair.public };
  }
}

/**
 * The TLS connection to Berth, handed to the WebSocket's request only once the key Berth shows
 * is the pinned one; otherwise the request fails with AgentStop and nothing was sent.
 */
function pinnedConnection(pin: string, pairing: boolean, server: string) {
  return (
    options: ConnectionOptions & { host?: string },
    oncreate: (err: Error | null, socket?: TLSSocket) => void,
  ): undefined => {
    const host = options.host ?? '';
    const socket = connectTls({
      ...options,
      path: undefined,
      servername: isIP(host) ? '' : host,
      rejectUnauthorized: false,
    } as ConnectionOptions);
    socket.once('secureConnect', () => {
      const seen = pinOf(socket);
      if (seen === pin) return oncreate(null, socket);
      socket.destroy();
      oncreate(
        new AgentStop(
          `${server} shows TLS key sha256:${seen ?? 'none'}, but ${pairing ? 'the join token pins' : 'this agent paired with'} sha256:${pin}: not talking to it (is it the Berth the token came from?)`,
        ),
      );
    });
    socket.once('error', (err: Error) => oncreate(err));
    return undefined;
  };
}

/** SHA-256 (hex) of the public key of the certificate a TLS socket was shown. */
function pinOf(socket: TLSSocket): string | null {
  const certificate = socket.getPeerX509Certificate();
  if (!certificate) return null;
  const der = certificate.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

function connectUrl(server: string): string {
  return `${server.replace(/^http/, 'ws').replace(/\/+$/, '')}/api/agent/connect`;
}

/**
 * One connection to Berth, until it ends: resolves with why it closed (the caller reconnects),
 * or rejects with AgentStop. Nothing secret is sent before Berth's TLS key matched the pin;
 * a pairing is written to the state file only once Berth accepted the token.
 */
export async function runSession(options: SessionOptions): Promise<string> {
  const { store, log } = options;
  const state = store.read();
  const token = options.token;
  const parts = token === null ? null : parseJoinToken(token);
  if (token !== null && parts === null)
    throw new AgentStop(
      '--token is not a join token (BERTH-AGENT-1-…): copy it as Berth showed it',
    );
  const server = options.server ?? state?.server ?? null;
  if (server === null)
    throw new AgentStop('no --server: give the URL of Berth the join token came from');
  if (!/^https:\/\//.test(server))
    throw new AgentStop(
      `--server ${server} is not https://…: an agent talks to Berth over TLS only`,
    );
  const pairing =
    token !== null &&
    (state === null || state.tokenHash !== tokenHash(token) || state.server !== server);
  if (!pairing && state === null)
    throw new AgentStop(`not paired yet (no ${store.file}): run with --token <join token>`);
  const pin = pairing ? (parts?.pin ?? '') : (state?.pin ?? '');
  const newKey = pairing ? generateKey() : null;

  const socket = new WebSocket(connectUrl(server), {
    // Berth is known by the pin, not by a CA: a self-signed certificate is fine, and nothing,
    // not even the upgrade request, is sent before the pin matched.
    createConnection: pinnedConnection(pin, pairing, server) as never,
    handshakeTimeout: 10_000,
    perMessageDeflate: false,
    headers: { 'User-Agent': `berth-agent/${options.self.version}` },
  });
  const stop = (): void => socket.close(1000, 'the agent is stopping');
  options.signal.addEventListener('abort', stop, { once: true });
  socket.once('close', () => options.signal.removeEventListener('abort', stop));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  }).catch((err: unknown) => {
    if (err instanceof AgentStop) throw err;
    throw new Error(`cannot reach ${server}: ${err instanceof Error ? err.message : String(err)}`);
  });

  // A connection that went silent (a cable pulled, a NAT that forgot it) is noticed by a
  // ping left unanswered, and ended: the agent dials again.
  let answered = true;
  socket.on('pong', () => (answered = true));
  const heartbeat = setInterval(() => {
    if (!answered) {
      log(`no answer from ${server} for ${options.heartbeatMs / 1000} s: reconnecting`);
      socket.terminate();
      return;
    }
    answered = false;
    socket.ping();
  }, options.heartbeatMs);
  socket.once('close', () => clearInterval(heartbeat));

  const hello: AgentHello =
    pairing && newKey
      ? { type: 'pair', token: token ?? '', publicKey: newKey.public, agent: options.self }
      : {
          type: 'hello',
          host: state?.host ?? '',
          keys: [state?.key, state?.previousKey]
            .filter((k): k is AgentKey => k !== null && k !== undefined)
            .map((k) => keyFingerprint(k.public)),
          agent: options.self,
        };
  socket.send(JSON.stringify(hello));

  return new Promise<string>((resolve, reject) => {
    let started = false;
    socket.once('message', (data, isBinary) => {
      const welcome = AgentWelcome.safeParse(isBinary ? null : safeJson(textOf(data)));
      if (!welcome.success) {
        socket.terminate();
        reject(new Error('Berth answered the hello with something else than a welcome'));
        return;
      }
      if (welcome.data.type === 'refused') {
        reject(
          new AgentStop(`Berth refused this agent (${welcome.data.code}): ${welcome.data.message}`),
        );
        return;
      }
      const wanted = welcome.data.key;
      const key = chooseKey(wanted, newKey, state);
      if (key === null) {
        socket.terminate();
        reject(
          new AgentStop(
            `Berth expects key ${wanted}, which this agent does not hold: pair again with a new join token`,
          ),
        );
        return;
      }
      let current: AgentStateFile = {
        server,
        pin,
        host: welcome.data.host,
        key,
        previousKey: pairing ? null : (state?.previousKey ?? null),
        tokenHash: pairing ? tokenHash(token ?? '') : (state?.tokenHash ?? null),
      };
      if (pairing) store.write(current);
      started = true;
      const transport = createWebSocketStream(socket);
      transport.on('error', () => undefined);
      // The stream only ends when the socket closes: destroying it closes the session, its
      // channels and the engine connections they hold.
      socket.once('close', () => transport.destroy());
      const ssh = new ssh2.Server({ hostKeys: [key.private] }, (client) => {
        client.on('authentication', (context) => {
          // The connection is Berth's: its TLS key matched the pin before anything was said.
          context.accept();
        });
        client.on('error', () => undefined);
        client.on('ready', () => {
          if (current.previousKey !== null && keyFingerprint(current.key.public) === wanted) {
            current = { ...current, previousKey: null };
            store.write(current);
          }
          log(
            `connected to ${server} as host "${current.host}" (key ${keyFingerprint(current.key.public)})`,
          );
          options.onConnected();
          client.on('openssh.streamlocal', (accept, rejectChannel, info) => {
            if (info.socketPath !== ENGINE_SOCKET) return rejectChannel();
            serveChannel(options.proxy, accept());
          });
          client.on('session', (acceptSession) => {
            const session = acceptSession();
            session.on('exec', (acceptExec, rejectExec, info) => {
              if (info.command !== 'rotate-key') return rejectExec();
              const channel = acceptExec();
              const next = generateKey();
              current = { ...current, key: next, previousKey: current.key };
              store.write(current);
              log(`rotated the key: ${keyFingerprint(next.public)} from now on`);
              channel.write(`${next.public}\n`);
              channel.exit(0);
              channel.end();
            });
          });
        });
      });
      ssh.injectSocket(transport as never);
    });
    socket.once('close', (code, reasonBuffer) => {
      const reason = reasonBuffer.toString('utf8');
      if (code === AGENT_REFUSED_CLOSE && !RETRYABLE.some((prefix) => reason.startsWith(prefix)))
        reject(new AgentStop(`Berth refused this agent: ${reason}`));
      else if (!started)
        reject(new Error(`Berth closed the connection (${code}${reason ? `: ${reason}` : ''})`));
      else resolve(reason || `connection closed (${code})`);
    });
    socket.on('error', (err) => log(`connection error: ${err.message}`));
  });
}

function chooseKey(
  wanted: string,
  newKey: AgentKey | null,
  state: AgentStateFile | null,
): AgentKey | null {
  for (const key of [newKey, state?.key, state?.previousKey])
    if (key && keyFingerprint(key.public) === wanted) return key;
  return null;
}

function textOf(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
