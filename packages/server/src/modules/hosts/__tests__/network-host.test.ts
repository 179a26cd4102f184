import { HostInfo } from '@berth/contract';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin, type ApiClient } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { testSocketPath } from '../../../testing/test-engine.js';

/** The test engine reached over TCP: each connection is piped to its unix socket. */
async function tcpForwarder(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(testSocketPath());
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

describe('a host reached over the network', () => {
  let forwarder: Awaited<ReturnType<typeof tcpForwarder>>;
  let t: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    forwarder = await tcpForwarder();
    t = await startTestApp({
      endpoint: { transport: 'tcp', host: '127.0.0.1', port: forwarder.port, tls: null },
      // This machine is a Raspberry Pi; the engine behind TCP may be any machine.
      readLocalModel: () => Promise.resolve('Raspberry Pi 4 Model B Rev 1.4'),
    });
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t.close();
    for (const socket of forwarder.sockets) socket.destroy();
    await new Promise((resolve) => forwarder.server.close(resolve));
  });

  it("is not described by this machine's board model or memory", async () => {
    const res = await admin.get('/api/hosts/local/info');
    expect(res.statusCode).toBe(200);
    const info = HostInfo.parse(res.json());
    // The engine's own figures still come through.
    expect(info.hardware.cpus).toBe(info.engine.ncpu);
    expect(info.hardware).toMatchObject({ model: null, isRaspberryPi: false });
    expect(info.hardware.profile).not.toBe('raspberry-pi');
    expect(info.memory).toBeNull();
  });
});
