/**
 * The `berth` CLI as a user runs it, against the docker CLI on the same engine, in the same run:
 * each command is a whole process (start, connect, answer, print), timed over many runs.
 * Printed as ratios; the bundle (`dist/berth.mjs`) is timed too when it has been built.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BENCH_SETUP_TOKEN,
  benchOptions,
  benchToken,
  engineRequest,
  freePort,
  percentile,
  requireEnv,
  startBerth,
  until,
} from './support.js';

const runFile = promisify(execFile);
const { containers, iterations } = benchOptions({ containers: 100, iterations: 30 });
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const image = requireEnv('BERTH_TEST_IMAGE');
const socketPath = dockerHost.slice('unix://'.length);
const cliMain = 'packages/cli/dist/main.js';
const cliBundle = 'packages/cli/dist/berth.mjs';
const prefix = `bench-cli-${process.pid}`;

async function timeCommand(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<number[]> {
  // Two warm-up runs fill the page cache, as for a user's second command.
  for (let i = 0; i < 2; i += 1) await runFile(file, args, { env, maxBuffer: 64 << 20 });
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    await runFile(file, args, { env, maxBuffer: 64 << 20 });
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

const created: string[] = [];
for (let i = 0; i < containers; i += 10) {
  const batch = Array.from({ length: Math.min(10, containers - i) }, (_, j) =>
    engineRequest({ socketPath }, 'POST', `/v1.41/containers/create?name=${prefix}-${i + j}`, {
      Image: image,
      Cmd: ['sleep', '3600'],
    }),
  );
  for (const text of await Promise.all(batch))
    created.push((JSON.parse(text) as { Id: string }).Id);
}

const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-cli-'));
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
try {
  const token = await benchToken(port);
  const berthEnv = {
    PATH: process.env.PATH ?? '',
    HOME: dataDir,
    NO_COLOR: '1',
    BERTH_URL: `http://127.0.0.1:${port}`,
    BERTH_TOKEN: token,
  };
  const dockerEnv = { PATH: process.env.PATH ?? '', HOME: dataDir, DOCKER_HOST: dockerHost };
  await until('Berth to see every container', async () => {
    const { stdout } = await runFile(
      process.execPath,
      [cliMain, 'get', 'containers', '-o', 'name'],
      {
        env: berthEnv,
      },
    );
    return stdout.split('\n').filter((l) => l.includes(prefix)).length >= containers
      ? true
      : undefined;
  });

  const rows: { name: string; samples: number[] }[] = [];
  const cases: [string, string, string[], NodeJS.ProcessEnv][] = [
    ['docker ps -a', 'docker', ['ps', '-a'], dockerEnv],
    ['berth get containers', process.execPath, [cliMain, 'get', 'containers'], berthEnv],
    ['docker ps -a --format json', 'docker', ['ps', '-a', '--format', '{{json .}}'], dockerEnv],
    [
      'berth get containers -o json',
      process.execPath,
      [cliMain, 'get', 'containers', '-o', 'json'],
      berthEnv,
    ],
    ['docker version', 'docker', ['version'], dockerEnv],
    ['berth --version (no server)', process.execPath, [cliMain, '--version'], berthEnv],
  ];
  if (existsSync(cliBundle)) {
    cases.push([
      'bundle: berth get containers',
      process.execPath,
      [cliBundle, 'get', 'containers'],
      berthEnv,
    ]);
  }
  for (const [name, file, args, env] of cases) {
    rows.push({ name, samples: await timeCommand(file, args, env) });
  }
  const p50 = (name: string): number =>
    percentile(rows.find((r) => r.name === name)?.samples ?? [], 50);
  process.stdout.write(
    `\nCLI, ${containers} containers, ${iterations} runs each (whole process, ms)\n` +
      rows
        .map(
          (r) =>
            `  ${r.name.padEnd(34)} p50 ${percentile(r.samples, 50).toFixed(0).padStart(5)}  p95 ${percentile(r.samples, 95).toFixed(0).padStart(5)}`,
        )
        .join('\n') +
      `\n  ratio berth/docker, list:        ${(p50('berth get containers') / p50('docker ps -a')).toFixed(2)}×` +
      `\n  ratio berth/docker, json:        ${(p50('berth get containers -o json') / p50('docker ps -a --format json')).toFixed(2)}×` +
      (existsSync(cliBundle)
        ? `\n  ratio bundle/docker, list:       ${(p50('bundle: berth get containers') / p50('docker ps -a')).toFixed(2)}×`
        : '') +
      '\n',
  );
} finally {
  await berth.stop();
  for (const id of created)
    await engineRequest({ socketPath }, 'DELETE', `/v1.41/containers/${id}?force=1`);
  rmSync(dataDir, { recursive: true, force: true });
}
