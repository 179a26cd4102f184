import type { ContainerDetail, LogAnalysis, LogLineView } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

/** Its first run writes these and exits 1; started again, it writes two lines and stays up. */
const SCRIPT = [
  'if [ -f /tmp/ran ]; then',
  '  echo "second run"; echo \'{"level":"error","msg":"after restart"}\'; sleep 300',
  'fi',
  'touch /tmp/ran',
  'echo \'level=error msg="db down" id=1\'',
  'echo "[WARN] slow request 120ms"',
  'echo \'{"level":"info","msg":"ready"}\'',
  'echo "ERROR: disk full on /dev/sda1" >&2',
  'echo "DEBUG cache miss key=0xdeadbeef"',
  'for i in 1 2 3 4 5; do echo "request $i took ${i}0ms"; done',
  'echo hello',
  'exit 1',
].join('\n');

describe('log analysis: a real container printing known lines', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let viewer: ApiClient;
  let noisy: string;
  let flood: string;

  const analyse = async (id: string, query = ''): Promise<LogAnalysis> => {
    const res = await viewer.get(`/api/hosts/local/containers/${id}/logs/analysis${query}`);
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    return res.json<LogAnalysis>();
  };
  const state = async (id: string): Promise<ContainerDetail> =>
    (await viewer.get(`/api/hosts/local/containers/${id}`)).json<ContainerDetail>();

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    viewer = await tokenFor(await userSession(admin, 'analysis-viewer', 'viewer'));
    noisy = await fixtures.createContainer('noisy', ['sh', '-c', SCRIPT]);
    flood = await fixtures.createContainer('flood', ['seq', '1', '50010']);
    await fixtures.start(noisy);
    await fixtures.start(flood);
    await waitFor('the first run to exit', async () => (await state(noisy)).state === 'exited');
    await fixtures.start(noisy);
    await waitFor('the second run to write its error', async () => {
      return (await analyse(noisy)).levels.error === 3;
    });
    await waitFor('the flood to end', async () => (await state(flood)).state === 'exited');
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('counts lines by level, in the common formats', async () => {
    const analysis = await analyse(noisy);
    expect(analysis.lines).toBe(13);
    expect(analysis.truncated).toBe(false);
    expect(analysis.levels).toEqual({ error: 3, warn: 1, info: 1, debug: 1, other: 7 });
  });

  it('counts the patterns asked for, each with its first match', async () => {
    const q = new URLSearchParams([
      ['pattern', 'disk full|db down'],
      ['pattern', 'took \\d+ms'],
      ['pattern', 'never written'],
    ]);
    const analysis = await analyse(noisy, `?${q.toString()}`);
    expect(analysis.patterns.map((p) => [p.pattern, p.count])).toEqual([
      ['disk full|db down', 2],
      ['took \\d+ms', 5],
      ['never written', 0],
    ]);
    expect(analysis.patterns[0]?.firstAt).toBe(analysis.firstLineAt);
    expect(analysis.patterns[2]?.firstAt).toBeNull();
  });

  it('finds the repeated lines by their shape, numbers set aside', async () => {
    const analysis = await analyse(noisy);
    expect(analysis.topLines[0]).toMatchObject({
      text: 'request <n> took <n>ms',
      count: 5,
      example: 'request 5 took 50ms',
    });
  });

  it('names the first error written since the container last started', async () => {
    const analysis = await analyse(noisy);
    // The first run's errors (level=error, ERROR:) came before; this one after the restart.
    expect(analysis.firstErrorAfterStart).toMatchObject({
      stream: 'stdout',
      text: '{"level":"error","msg":"after restart"}',
    });
    expect(analysis.lastStartedAt).not.toBeNull();
  });

  it('reads only the window asked for', async () => {
    const page = await viewer.get(`/api/hosts/local/containers/${noisy}/logs?timestamps=true`);
    const lines = page.json<{ lines: LogLineView[] }>().lines;
    const secondRun = lines.find((line) => line.text === 'second run')?.timestamp ?? '';
    const since = new URLSearchParams({ since: secondRun });
    const analysis = await analyse(noisy, `?${since.toString()}`);
    expect(analysis.lines).toBe(2);
    expect(analysis.levels.error).toBe(1);
    expect(analysis.since).toBe(secondRun);
    expect(analysis.firstLineAt).toBe(secondRun);
  });

  it('reads at most 50 000 lines, the newest, and says it stopped there', async () => {
    const analysis = await analyse(flood);
    expect(analysis.truncated).toBe(true);
    expect(analysis.lines).toBe(50_000);
    expect(analysis.topLines[0]).toMatchObject({ text: '<n>', count: 50_000, example: '50010' });
    // No error line at all: nothing since the start either.
    expect(analysis.firstErrorAfterStart).toBeNull();
  });

  it('refuses patterns that are not regular expressions or could take exponential time', async () => {
    for (const pattern of ['[unclosed', '(a+)+$', '(x|xy)*z', '(\\w)\\1']) {
      const q = new URLSearchParams({ pattern });
      const res = await viewer.get(
        `/api/hosts/local/containers/${noisy}/logs/analysis?${q.toString()}`,
      );
      expect(res.statusCode, pattern).toBe(400);
      expect(
        res.json<{ error: { details: { issues: { field: string }[] } } }>().error.details.issues[0]
          ?.field,
      ).toBe('query.pattern');
    }
    const reversed = await viewer.get(
      `/api/hosts/local/containers/${noisy}/logs/analysis?since=2000&until=1000`,
    );
    expect(reversed.statusCode).toBe(400);
    expect(reversed.body).toContain('query.until');
  });
});
