/**
 * Wake-on-demand: time from the first request through Caddy to a sleeping target until the
 * target's answer (the waker starts it, holds the request, proxies it), against a plain
 * `docker start` of an identical container plus its first answer on its published port, in the
 * same run on the same engine. p50 over N wakes each; printed with the ratio (wake / plain).
 * The wake case goes to bench/proxy.bench.ts once the routes side's bench is there.
 */
import { benchOptions, requireEnv } from './support.js';

const { wakes } = benchOptions({ wakes: 7 });
// The wake rig reads the test engine's address: the bench engine is that here.
process.env.BERTH_TEST_DOCKER_HOST = requireEnv('BERTH_BENCH_DOCKER_HOST');

const { containerTarget, httpContainer, send, startWakeRig, wakeRoute } =
  await import('../packages/server/src/modules/proxy/wake/__tests__/wake-rig.js');
const { waitFor } = await import('../packages/server/src/testing/wait-for.js');

const rig = await startWakeRig();
const BODY = 'bench answer';

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function publishedPort(id: string): Promise<number> {
  const inspect = await rig.fixtures.client.request<{
    NetworkSettings: { Ports: Record<string, { HostPort: string }[] | null> };
  }>('GET', `/containers/${id}/json`);
  return Number(inspect.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort);
}

try {
  const routed = await httpContainer(rig.fixtures, 'bench-wake', BODY);
  const plain = await httpContainer(rig.fixtures, 'bench-plain', BODY);
  await rig.directory.add(
    wakeRoute('bench', 'wake-bench.test', containerTarget(routed.name), {
      idleMinutes: 60,
      startTimeoutSeconds: 60,
    }),
  );
  await waitFor('asleep at load', () => rig.directory.pointsAt('bench') === 'waker');

  const wakeMs: number[] = [];
  const plainMs: number[] = [];
  for (let round = 0; round < wakes; round += 1) {
    await rig.controller.sleep('bench', 'bench');
    await waitFor('asleep', () => rig.directory.pointsAt('bench') === 'waker');
    let started = performance.now();
    const answer = await send(rig.httpPort, 'wake-bench.test');
    if (answer.status !== 200) throw new Error(`wake answered ${answer.status}: ${answer.body}`);
    wakeMs.push(performance.now() - started);

    started = performance.now();
    await rig.fixtures.start(plain.id);
    const port = await publishedPort(plain.id);
    await waitFor(
      'the plain container answers',
      async () => (await send(port, 'plain.test')).status === 200,
      30_000,
      5,
    );
    plainMs.push(performance.now() - started);
    await rig.fixtures.stop(plain.id);
  }
  const wake = p50(wakeMs);
  const direct = p50(plainMs);
  process.stdout.write(
    [
      `proxy wake: first request to a sleeping target until its answer, p50 of ${wakes}`,
      `  through Caddy and the waker  ${wake.toFixed(0).padStart(6)} ms`,
      `  docker start + first answer  ${direct.toFixed(0).padStart(6)} ms`,
      `  ratio (wake / plain)         ${(wake / direct).toFixed(2)}`,
      '',
    ].join('\n'),
  );
} finally {
  await rig.close();
}
