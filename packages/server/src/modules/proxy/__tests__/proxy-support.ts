import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { readFile } from 'node:fs/promises';
import type { ProxyRoute } from '@berth/contract';
import type { TestCaddy } from '../../../../../../scripts/lib/test-caddy.mjs';
import { adminGet } from '../../../../../../scripts/lib/test-caddy.mjs';
import type { ApiClient } from '../../../testing/api-client.js';
import type { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A container serving `/www` with busybox httpd on port 80 (index.html says `says`, big.txt
 * is 4 KB for compression), and on port 81 an HTTP upgrade echo: it answers 101 and then
 * sends back whatever it is sent.
 */
export async function startWebContainer(
  fixtures: EngineFixtures,
  base: string,
  says: string,
  extra: { labels?: Record<string, string>; publish?: boolean } = {},
): Promise<{ id: string; name: string }> {
  const upgrade = [
    'while read -r line; do',
    '  line=$(printf %s "$line" | tr -d "\\r"); [ -z "$line" ] && break;',
    'done;',
    'printf "HTTP/1.1 101 Switching Protocols\\r\\nConnection: Upgrade\\r\\nUpgrade: berth-echo\\r\\n\\r\\n";',
    'exec cat',
  ].join(' ');
  const script = [
    'mkdir -p /www',
    `echo ${says} > /www/index.html`,
    'yes compressible-line | head -c 4096 > /www/big.txt',
    `printf '%s' '${upgrade}' > /upgrade.sh && chmod +x /upgrade.sh`,
    '(nc -ll -p 81 -e /upgrade.sh &)',
    'exec httpd -f -p 80 -h /www',
  ].join(' && ');
  const publish = extra.publish ?? true;
  const id = await fixtures.createWith(base, {
    Cmd: ['sh', '-c', script],
    Labels: extra.labels ?? {},
    ExposedPorts: { '80/tcp': {}, '81/tcp': {} },
    HostConfig: publish
      ? {
          PortBindings: {
            '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
            '81/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
          },
        }
      : {},
  });
  await fixtures.start(id);
  return { id, name: fixtures.name(base) };
}

/** A request to Caddy's listener with SNI and Host = `hostname`; HTTPS verified against `ca`. */
export function throughCaddy(
  caddy: TestCaddy,
  hostname: string,
  options: {
    path?: string;
    tls?: { ca: string } | null;
    headers?: Record<string, string>;
    /** How long to wait for the answer (a request held while its target wakes takes longer). */
    timeoutMs?: number;
  } = {},
): Promise<Answer> {
  const tls = options.tls === undefined ? null : options.tls;
  const send = tls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: '127.0.0.1',
        port: tls ? caddy.httpsPort : caddy.httpPort,
        path: options.path ?? '/',
        headers: { Host: hostname, ...options.headers },
        ...(tls ? { servername: hostname, ca: tls.ca } : {}),
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(options.timeoutMs ?? 5000, () => req.destroy(new Error('Caddy did not answer')));
    req.end();
  });
}

/** Sends an upgrade request over plain HTTP and returns the status line and the echo of `ping`. */
export function upgradeThroughCaddy(
  port: number,
  hostname: string,
  ping: string,
): Promise<{ statusLine: string; echoed: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let sentPing = false;
    socket.setEncoding('utf8');
    socket.setTimeout(5000, () => socket.destroy(new Error('no upgrade answer')));
    socket.on('error', reject);
    socket.on('connect', () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: ${hostname}\r\nConnection: Upgrade\r\nUpgrade: berth-echo\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!sentPing) {
        sentPing = true;
        socket.write(ping);
      }
      const echoed = received.slice(end + 4);
      if (echoed.includes(ping)) {
        socket.destroy();
        resolve({ statusLine: received.slice(0, received.indexOf('\r\n')), echoed });
      }
    });
  });
}

export async function caRoot(caddy: TestCaddy): Promise<string> {
  return waitFor('Caddy made its internal CA', () => readFile(caddy.caRootPath, 'utf8'));
}

/** Caddy's whole config as it holds it now (the user's part must be there untouched). */
export async function caddyConfig(caddy: TestCaddy): Promise<Record<string, unknown>> {
  const answer = await adminGet(
    { socketPath: caddy.adminSocket, port: caddy.adminPort },
    '/config/',
  );
  return JSON.parse(answer.body) as Record<string, unknown>;
}

export async function createRoute(admin: ApiClient, body: unknown): Promise<ProxyRoute> {
  const res = await admin.post('/api/proxy/routes', body);
  if (res.statusCode !== 201) throw new Error(`route create: ${res.statusCode} ${res.body}`);
  return res.json<ProxyRoute>();
}

export async function routeState(admin: ApiClient, id: string): Promise<ProxyRoute> {
  return (await admin.get(`/api/proxy/routes/${id}`)).json<ProxyRoute>();
}

/** Waits until the route answers `expected` in its body. */
export async function untilAnswers(
  what: string,
  ask: () => Promise<Answer>,
  expected: string,
): Promise<Answer> {
  return waitFor(what, async () => {
    const answer = await ask();
    return answer.status === 200 && answer.body.includes(expected) && answer;
  });
}
