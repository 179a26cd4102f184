import { createServer, request, Agent, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AgentPolicy } from '@berth/contract';
import { refusalOf } from './agent-policy.js';

/** Where the agent reaches its engine. */
export type EngineAddress = { socketPath: string } | { host: string; port: number };

export function parseEngineAddress(address: string): EngineAddress {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new Error(`--engine "${address}" is not unix:///path/docker.sock or tcp://host:port`);
  }
  if (url.protocol === 'unix:') return { socketPath: decodeURIComponent(url.pathname) };
  if (url.protocol === 'tcp:' && url.hostname && url.port)
    return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) };
  throw new Error(`--engine "${address}" is not unix:///path/docker.sock or tcp://host:port`);
}

/** Headers that belong to one hop, not to the request or answer passed on. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade']);

/**
 * The agent's Engine API front: Berth's connections (channels of its SSH session) are served
 * as HTTP here, checked against the agent's policy, and passed to the engine. Answers and
 * streams go back as the engine sends them, with the backpressure of both sides; a hijacked
 * connection (exec, attach) becomes a plain two-way pipe once the request is allowed.
 */
export function engineProxy(engine: EngineAddress, policy: AgentPolicy, agentName: string): Server {
  const pool = new Agent({ keepAlive: true });
  const refuse = (reason: string): string =>
    JSON.stringify({ message: `refused by the berth agent on ${agentName}: ${reason}` });
  const server = createServer((req, res) => {
    const refusal = refusalOf(policy, req.method ?? 'GET', req.url ?? '/');
    if (refusal !== null) {
      req.resume();
      res.writeHead(403, { 'Content-Type': 'application/json' }).end(refuse(refusal));
      return;
    }
    const upstream = request(
      {
        ...engine,
        agent: pool,
        method: req.method,
        path: req.url,
        headers: passedHeaders(req.headers),
      },
      (answer) => {
        res.writeHead(
          answer.statusCode ?? 502,
          answer.statusMessage,
          passedHeaders(answer.headers),
        );
        // The head goes out with the body, in one write, when the body is there at once; on
        // its own when it is not (a log follow with no lines yet): Berth sees the answer now.
        // (headersSent is true from writeHead on: whether a body went is what tells.)
        let bodyStarted = false;
        answer.once('data', () => (bodyStarted = true));
        setImmediate(() => {
          if (!bodyStarted && !res.destroyed && !res.writableEnded) res.flushHeaders();
        });
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent)
        res.writeHead(502, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({
            message: `the berth agent on ${agentName} cannot reach its engine: ${err.message}`,
          }),
        );
      else res.destroy(err);
    });
    // Berth went away (a log follow it stopped): the engine's stream ends too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refusalOf(policy, req.method ?? 'GET', req.url ?? '/');
    if (refusal !== null) {
      const body = refuse(refusal);
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    pipeRaw(engine, req, socket, head);
  });
  // Connections are channels Berth opens and closes; nothing here times them out.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 0;
  server.on('close', () => pool.destroy());
  return server;
}

/**
 * Serves one channel of Berth's session as a connection of the proxy. An ssh2 channel has no
 * `_writev`: every piece the HTTP server writes would leave as an SSH packet of its own, each
 * padded with fresh random bytes, encrypted, framed as a WebSocket message and written to the
 * TLS socket. A chunked answer is four pieces per chunk (size, CRLF, data, CRLF), and the
 * engine sends a log line per chunk. The server corks its connection while it writes, so with a
 * `_writev` all it wrote in one turn goes as one write (SSH splits it into packets by the
 * peer's packet size and window, as before: flow control is the channel's own).
 */
export function serveChannel(proxy: Server, channel: Duplex): void {
  channel._writev = (chunks, done) => {
    const pieces = chunks.map(({ chunk, encoding }) =>
      Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding),
    );
    // What Writable passes with a Buffer ('buffer' is not among the string encodings' type).
    channel._write(Buffer.concat(pieces), 'buffer' as BufferEncoding, done);
  };
  proxy.emit('connection', channel);
}

function passedHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const passed: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_HEADERS.has(name)) passed[name] = value;
  return passed;
}

/**
 * A hijacking request goes to the engine as it came (its head rebuilt from the raw headers,
 * its body and whatever follows in `head`), on a connection of its own; from then on the two
 * connections are piped both ways, half-closes and all (stdin's end reaches the process).
 */
function pipeRaw(engine: EngineAddress, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const upstream: Socket =
    'socketPath' in engine ? connect(engine.socketPath) : connect(engine.port, engine.host);
  const lines = [`${req.method ?? 'POST'} ${req.url ?? '/'} HTTP/1.1`];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    lines.push(`${req.rawHeaders[i] ?? ''}: ${req.rawHeaders[i + 1] ?? ''}`);
  upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length > 0) upstream.write(head);
  upstream.pipe(socket);
  socket.pipe(upstream);
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
  socket.on('close', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
}
