import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor } from '../../../testing/api-client.js';
import { recordingLogger } from '../../../testing/silent-logger.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { WsRecorder } from '../../../testing/ws-client.js';

/**
 * What a client sends on a WebSocket can close that socket, never the server: each bad frame
 * gets a close code and a reason naming the problem, and everything else keeps working.
 */
describe('bad frames on the WebSocket streams', () => {
  const fixtures = new EngineFixtures();
  const log = recordingLogger();
  let t: TestApp;
  let admin: ApiClient;
  let container: string;

  beforeAll(async () => {
    t = await startTestApp({ logger: log.logger });
    admin = await tokenFor(await setupAdmin(t.app));
    container = await fixtures.createContainer('frames', ['sh', '-c', 'sleep 300']);
    await fixtures.start(container);
  });
  afterEach(async () => {
    await sql`drop trigger if exists audit_fails`.execute(t.db);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  const open = (path: string): Promise<WsRecorder> => WsRecorder.open(t.app, path, admin.headers);
  const terminal = async (): Promise<WsRecorder> => {
    const term = await open(`/api/hosts/local/containers/${container}/exec/terminal?shell=sh`);
    await term.waitFor('started', () => term.of('started')[0]);
    return term;
  };

  /** A working terminal and an HTTP request: proof the server lives on. */
  async function stillServing(): Promise<void> {
    const term = await terminal();
    term.socket.send(Buffer.from('echo alive-$((6*7))\n'), { binary: true });
    await term.waitFor('the other terminal answers', () => term.output().includes('alive-42'));
    term.close();
    expect((await admin.get('/api/health')).statusCode).toBe(200);
  }

  it('closes a terminal sent text that is not JSON with 1007, and only that one', async () => {
    const bystander = await terminal();
    const term = await terminal();
    term.socket.send('this is not json {');
    const closed = await term.whenClosed();
    expect(closed.code).toBe(1007);
    expect(closed.reason).toMatch(/^message is not JSON: /);
    bystander.socket.send(Buffer.from('echo bystander-$((1+1))\n'), { binary: true });
    await bystander.waitFor('the bystander still works', () =>
      bystander.output().includes('bystander-2'),
    );
    expect(bystander.closed).toBe(false);
    bystander.close();
    await stillServing();
  });

  it('closes a terminal sent JSON of the wrong shape with 1008 naming the field', async () => {
    const term = await terminal();
    term.socket.send(JSON.stringify({ type: 'resize', cols: 'wide', rows: 40 }));
    const closed = await term.whenClosed();
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/^invalid message: cols: /);

    const other = await terminal();
    other.socket.send(JSON.stringify({ type: 'reboot' }));
    expect((await other.whenClosed()).reason).toMatch(/^invalid message: type: /);
    await stillServing();
  });

  it('closes a terminal sent an oversized control frame with 1009', async () => {
    const term = await terminal();
    term.socket.send(JSON.stringify({ type: 'input', data: 'x'.repeat(600 * 1024) }));
    const closed = await term.whenClosed();
    expect(closed.code).toBe(1009);
    expect(closed.reason).toMatch(/^message too big: \d+ bytes, at most 524288$/);
    await stillServing();
  });

  it('closes the logs, stats and events streams on any frame, text or binary', async () => {
    const logs = await open(`/api/hosts/local/containers/${container}/logs/stream`);
    logs.socket.send(JSON.stringify({ type: 'resize', cols: 1, rows: 1 }));
    expect(await logs.whenClosed()).toEqual({
      code: 1008,
      reason: 'invalid message: this stream takes no messages',
    });

    const stats = await open(`/api/hosts/local/containers/${container}/stats/stream`);
    stats.socket.send(Buffer.from([0xde, 0xad]), { binary: true });
    expect(await stats.whenClosed()).toEqual({
      code: 1008,
      reason: 'binary frames are not accepted here',
    });

    const events = await open('/api/hosts/local/events');
    await events.waitFor('hello', () => events.of('hello')[0]);
    events.socket.send('}{');
    const closed = await events.whenClosed();
    expect(closed.code).toBe(1007);
    await stillServing();
  });

  it('logs a terminal whose audit entry cannot be written, and refuses it without crashing', async () => {
    await sql`create trigger audit_fails before insert on audit_log
      begin select raise(abort, 'the disk is full'); end`.execute(t.db);
    const term = await open(`/api/hosts/local/containers/${container}/exec/terminal?shell=sh`);
    const closed = await term.whenClosed();
    expect(closed).toEqual({ code: 1011, reason: 'audit_failed' });
    expect(term.of('error')[0]).toMatchObject({ code: 'audit_failed' });
    expect(term.of('started')).toEqual([]);
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        msg: 'terminal not audited; closing it',
        err: 'the disk is full',
        container,
      }),
    );

    // A terminal that fails to start is audited as a failure: that entry fails too, and is logged.
    const missing = await open('/api/hosts/local/containers/no-such-container/exec/terminal');
    expect((await missing.whenClosed()).code).toBe(1011);
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        msg: 'terminal failure not audited',
        err: 'the disk is full',
        container: 'no-such-container',
      }),
    );

    await sql`drop trigger audit_fails`.execute(t.db);
    await stillServing();
  });
});
