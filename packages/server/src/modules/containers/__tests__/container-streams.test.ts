import { ExecStreamByte, type ExecResult } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

describe('live streams and exec', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let operator: ApiClient;
  let viewerToken: ApiClient;
  let operatorToken: ApiClient;
  let chatty: string;
  let busy: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'stream-op', 'operator');
    operatorToken = await tokenFor(operator);
    viewerToken = await tokenFor(await userSession(admin, 'stream-viewer', 'viewer'));
    chatty = await fixtures.createContainer('chatty', [
      'sh',
      '-c',
      'echo first; echo second >&2; sleep 300',
    ]);
    busy = await fixtures.createContainer('busy', ['sh', '-c', 'while :; do :; done']);
    await fixtures.start(chatty);
    await fixtures.start(busy);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  const ws = (client: ApiClient, path: string): Promise<WsRecorder> =>
    WsRecorder.open(t.app, path, client.headers);

  it('sends history, then lines written after subscribing, from one shared upstream for two viewers', async () => {
    const key = `local/${chatty}`;
    const startedBefore = t.services.containerStreams.logs.started;
    const a = await ws(viewerToken, `/api/hosts/local/containers/${chatty}/logs/stream?tail=10`);
    const b = await ws(
      operatorToken,
      `/api/hosts/local/containers/${chatty}/logs/stream?tail=10&stderr=false&timestamps=true`,
    );
    await a.waitFor('history for a', () => a.logLines().length >= 2);
    await b.waitFor('history for b', () => b.logLines().length >= 1);
    expect(t.services.containerStreams.logs.active(key)).toBe(1);
    expect(t.services.containerStreams.logs.subscribers(key)).toBe(2);
    expect(t.services.containerStreams.logs.started).toBe(startedBefore + 1);

    const late = await operator.post(`/api/hosts/local/containers/${chatty}/exec`, {
      command: ['sh', '-c', 'echo written-later > /proc/1/fd/1'],
    });
    expect(late.json<ExecResult>().exitCode).toBe(0);
    await a.waitFor('the late line for a', () =>
      a.logLines().some((m) => m.text === 'written-later'),
    );
    await b.waitFor('the late line for b', () =>
      b.logLines().some((m) => m.text === 'written-later'),
    );

    expect(a.logLines().map((m) => m.text)).toEqual(
      expect.arrayContaining(['first', 'second', 'written-later']),
    );
    expect(a.logLines().filter((m) => m.text === 'written-later')).toHaveLength(1);
    expect(b.logLines().map((m) => m.text)).toEqual(['first', 'written-later']);
    expect(typeof b.logLines()[0]?.timestamp).toBe('string');
    expect(a.logLines()[0]?.timestamp).toBeNull();

    a.close();
    await waitFor('one viewer left', () => t.services.containerStreams.logs.subscribers(key) === 1);
    expect(t.services.containerStreams.logs.active(key)).toBe(1);
    b.close();
    await waitFor(
      'upstream stopped with the last viewer',
      () => t.services.containerStreams.logs.active(key) === 0,
    );
  });

  it('streams stats with sane values for a busy container, shared per container', async () => {
    const a = await ws(viewerToken, `/api/hosts/local/containers/${busy}/stats/stream`);
    const b = await ws(viewerToken, `/api/hosts/local/containers/${busy}/stats/stream`);
    const readings = await a.waitFor('three readings', () =>
      a.of('stats').length >= 3 ? a.of('stats') : undefined,
    );
    expect(t.services.containerStreams.stats.active(`local/${busy}`)).toBe(1);
    const last = readings.at(-1) as {
      cpuPercent: number;
      onlineCpus: number;
      memory: { usage: number; limit: number; percent: number };
      pids: number;
    };
    expect(last.cpuPercent).toBeGreaterThan(5);
    expect(last.cpuPercent).toBeLessThanOrEqual(last.onlineCpus * 100 + 5);
    expect(last.memory.usage).toBeGreaterThan(0);
    expect(last.memory.usage).toBeLessThan(last.memory.limit);
    expect(last.memory.percent).toBeGreaterThan(0);
    expect(last.pids).toBeGreaterThanOrEqual(1);
    a.close();
    b.close();
    await waitFor('stats upstream stopped', () => t.services.containerStreams.stats.active() === 0);

    const once = (await viewerToken.get(`/api/hosts/local/containers/${busy}/stats`)).json<{
      cpuPercent: number;
      pids: number;
    }>();
    expect(once.cpuPercent).toBeGreaterThan(5);
  });

  it('runs a command and returns its output and exit code', async () => {
    const ok = (
      await operator.post(`/api/hosts/local/containers/${chatty}/exec`, {
        command: ['echo', 'hello', 'there'],
      })
    ).json<ExecResult>();
    expect(ok).toMatchObject({
      exitCode: 0,
      stdout: 'hello there\n',
      stderr: '',
      truncated: false,
      timedOut: false,
    });
    expect(ok.cli).toBe(`docker exec ${fixtures.name('chatty')} echo hello there`);
    const failing = (
      await operator.post(`/api/hosts/local/containers/${chatty}/exec`, {
        command: ['sh', '-c', 'echo to-err >&2; exit 3'],
        env: { X: '1' },
        workingDir: '/tmp',
      })
    ).json<ExecResult>();
    expect(failing).toMatchObject({ exitCode: 3, stdout: '', stderr: 'to-err\n' });
  });

  it('round-trips keystrokes through an interactive terminal, resizes it, and reports the exit', async () => {
    const term = await ws(
      operatorToken,
      `/api/hosts/local/containers/${chatty}/exec/terminal?cols=100&rows=30`,
    );
    const started = await term.waitFor('started', () => term.of('started')[0]);
    expect(started.command).toEqual(['/bin/sh']);
    term.socket.send(Buffer.from('echo sum-$((40+2))\n'), { binary: true });
    await term.waitFor('echoed output', () => term.output().includes('sum-42'));
    term.socket.send(JSON.stringify({ type: 'resize', cols: 120, rows: 40 }));
    term.socket.send(JSON.stringify({ type: 'input', data: 'stty size\n' }));
    await term.waitFor('new size', () => term.output().includes('40 120'));
    term.socket.send(Buffer.from('exit 5\n'), { binary: true });
    const exit = await term.waitFor('exit', () => term.of('exit')[0]);
    expect(exit.exitCode).toBe(5);
    await term.waitFor('closed', () => term.closed);
  });

  it('runs a command without a TTY: stdout and stderr tagged apart, stdin to end of file, its exit code', async () => {
    const q = ['sh', '-c', 'cat; echo "to-err $GREETING" >&2; exit 4']
      .map((arg) => `command=${encodeURIComponent(arg)}`)
      .join('&');
    const term = await ws(
      operatorToken,
      `/api/hosts/local/containers/${chatty}/exec/terminal?tty=false&env=GREETING%3Dhi&${q}`,
    );
    const started = await term.waitFor('started', () => term.of('started')[0]);
    expect(started.cli).toContain('docker exec --interactive --env GREETING=hi');
    term.socket.send(Buffer.from('piped-in\n'), { binary: true });
    term.socket.send(JSON.stringify({ type: 'eof' }));
    const exit = await term.waitFor('exit', () => term.of('exit')[0]);
    expect(exit.exitCode).toBe(4);
    const text = (tag: number): string =>
      Buffer.concat(term.binary.filter((b) => b[0] === tag).map((b) => b.subarray(1))).toString();
    expect(text(ExecStreamByte.stdout)).toBe('piped-in\n');
    expect(text(ExecStreamByte.stderr)).toBe('to-err hi\n');
  });

  it('refuses a terminal query it cannot run: a bad tty, a shell and a command at once', async () => {
    const base = `/api/hosts/local/containers/${chatty}/exec/terminal`;
    await expect(ws(operatorToken, `${base}?tty=maybe`)).rejects.toThrow(/400/);
    await expect(ws(operatorToken, `${base}?shell=sh&command=id`)).rejects.toThrow(/400/);
    await expect(ws(operatorToken, `${base}?env=NOEQUALS&command=id`)).rejects.toThrow(/400/);
  });

  it('keeps viewers out of terminals and exec', async () => {
    await expect(
      ws(viewerToken, `/api/hosts/local/containers/${chatty}/exec/terminal`),
    ).rejects.toThrow();
    expect(
      (await viewerToken.post(`/api/hosts/local/containers/${chatty}/exec`, { command: ['id'] }))
        .statusCode,
    ).toBe(403);
  });

  it('sends the host change feed to event subscribers', async () => {
    const events = await ws(viewerToken, '/api/hosts/local/events');
    await events.waitFor('hello', () => events.of('hello')[0]);
    const id = await fixtures.createContainer('evented');
    await events.waitFor('the new container', () =>
      events.of('change').some((m) => (m.change as { id: string; kind: string }).id === id),
    );
    events.close();
  });
});
