import { LogStreamQuery, type LogLineView } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

/**
 * A viewer's history is read no faster than the viewer takes it: a slow socket holds the
 * engine's answer back instead of having lines dropped (what a fast source, such as an agent
 * host delivering in bursts, made visible).
 */
describe('log history at the viewer’s pace', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let counter: string;
  const LINES = 20_000;

  beforeAll(async () => {
    t = await startTestApp();
    counter = await fixtures.createContainer('history-pace', [
      'sh',
      '-c',
      `seq 1 ${LINES}; sleep 300`,
    ]);
    await fixtures.start(counter);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('sends the next batch of history only once the viewer is ready, and loses none', async () => {
    const received: LogLineView[] = [];
    let gate: (() => void) | null = null;
    let waits = 0;
    let ended = false;
    // The whole history is there before it is followed.
    await waitFor('the last line logged', async () => {
      const lines: LogLineView[] = [];
      const stop = await t.services.containerStreams.followLogs(
        'local',
        counter,
        LogStreamQuery.parse({ tail: '1' }),
        { message: (batch) => lines.push(...batch), end: () => undefined },
      );
      stop();
      return lines.at(-1)?.text === String(LINES);
    });
    const stop = await new Promise<() => void>((resolve, reject) => {
      t.services.containerStreams
        .followLogs('local', counter, LogStreamQuery.parse({ tail: 'all' }), {
          message: (batch) => {
            // While the viewer is not ready, no batch comes.
            expect(gate).toBeNull();
            received.push(...batch);
          },
          end: () => (ended = true),
          ready: () =>
            new Promise<void>((release) => {
              waits += 1;
              gate = () => {
                gate = null;
                release();
              };
            }),
        })
        .then(resolve, reject);
      // The test plays a slow viewer: ready only when it looks again.
      const open = (): void => {
        if (gate) gate();
        if (received.length < LINES) setTimeout(open, 1);
      };
      setTimeout(open, 1);
    });
    expect(received.map((l) => Number(l.text))).toEqual(
      Array.from({ length: LINES }, (_, i) => i + 1),
    );
    expect(waits).toBeGreaterThan(10);
    expect(ended).toBe(false);
    stop();
  });
});
