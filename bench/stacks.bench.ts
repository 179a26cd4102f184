/**
 * Stacks: `up` of a 10-service stack from a local image through Berth's compose engine against
 * Debian's `docker-compose` on the same file, and a no-op `up` of each, measured in the same
 * run on the same engine. Printed as ratios (Berth / docker-compose; below 1 is faster).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BENCH_SETUP_TOKEN,
  benchOptions,
  benchToken,
  call,
  freePort,
  requireEnv,
  startBerth,
} from './support.js';

const { services, rounds } = benchOptions({ services: 10, rounds: 3 });
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const image = requireEnv('BERTH_TEST_IMAGE');

function composeFile(): string {
  const lines = ['version: "2.4"', 'services:'];
  for (let i = 0; i < services; i += 1) {
    lines.push(
      `  s${i}:`,
      `    image: ${image}`,
      '    command: ["sleep", "3600"]',
      '    stop_grace_period: 1s',
      '    environment:',
      `      INDEX: "${i}"`,
      ...(i > 0 ? [`    depends_on: [s${i - 1}]`] : []),
    );
  }
  return `${lines.join('\n')}\n`;
}

function compose(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'docker-compose',
      args,
      { cwd, env: { PATH: process.env.PATH ?? '', DOCKER_HOST: dockerHost, HOME: cwd } },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`docker-compose: ${stderr}`)) : resolve(),
    );
  });
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
const refDir = mkdtempSync(join(tmpdir(), 'berth-bench-compose-'));
const file = composeFile();
writeFileSync(join(refDir, 'docker-compose.yml'), file);
const port = await freePort();
const berth = startBerth({
  BERTH_PORT: String(port),
  BERTH_HOST: '127.0.0.1',
  BERTH_TLS: 'off',
  BERTH_DATA_DIR: dataDir,
  BERTH_SETUP_TOKEN: BENCH_SETUP_TOKEN,
  BERTH_API_RATE_LIMIT: '1000000',
  DOCKER_HOST: dockerHost,
});
const stack = `bench-${process.pid}`;
const ref = `benchref-${process.pid}`;
const auth: Record<string, string> = {};
try {
  auth.authorization = `Bearer ${await benchToken(port)}`;
  const api = async (method: string, path: string, body?: unknown): Promise<void> => {
    const res = await call(port, method, `/api/hosts/local/stacks${path}`, body, auth);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
    if (path.endsWith('/up') && !(JSON.parse(res.body) as { ok: boolean }).ok)
      throw new Error(`up failed: ${res.body}`);
  };
  await api('POST', '', { name: stack, files: { 'docker-compose.yml': file } });

  const results = {
    berthUp: [] as number[],
    refUp: [] as number[],
    berthNoop: [] as number[],
    refNoop: [] as number[],
  };
  // Alternate the two so both see the same machine conditions.
  for (let round = 0; round < rounds; round += 1) {
    results.berthUp.push(await timed(() => api('POST', `/${stack}/up`, {})));
    results.refUp.push(await timed(() => compose(['-p', ref, 'up', '-d'], refDir)));
    results.berthNoop.push(await timed(() => api('POST', `/${stack}/up`, {})));
    results.refNoop.push(await timed(() => compose(['-p', ref, 'up', '-d'], refDir)));
    await api('POST', `/${stack}/down`, {});
    await compose(['-p', ref, 'down', '-t', '1'], refDir);
  }
  const best = (xs: number[]): number => Math.min(...xs);
  const row = (what: string, b: number[], r: number[]): string =>
    `${what.padEnd(34)} Berth ${best(b).toFixed(0).padStart(6)} ms  docker-compose ${best(r)
      .toFixed(0)
      .padStart(6)} ms  ratio ${(best(b) / best(r)).toFixed(2)}`;
  process.stdout.write(
    [
      `stacks: ${services} services from a local image, best of ${rounds}`,
      row('up (create and start)', results.berthUp, results.refUp),
      row('up with nothing to do', results.berthNoop, results.refNoop),
      '',
    ].join('\n'),
  );
} finally {
  await compose(['-p', ref, 'down', '-t', '1'], refDir).catch(() => undefined);
  await call(port, 'POST', `/api/hosts/local/stacks/${stack}/down`, {}, auth).catch(
    () => undefined,
  );
  await berth.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(refDir, { recursive: true, force: true });
}
