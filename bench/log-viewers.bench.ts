/**
 * 20 viewers follow one container's logs at a high line rate, through Berth (one shared
 * upstream) and, for comparison, straight from the engine (one follow stream each), in the same
 * run. Prints upstream counts, delivery rates, drops and the server's memory.
 */
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  BENCH_SETUP_TOKEN,
  benchOptions,
  benchToken,
  call as http,
  freePort,
  requireEnv,
  startBerth,
} from './support.js';

const { viewers, seconds } = benchOptions({ viewers: 20, seconds: 5 });
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const image = requireEnv('BERTH_TEST_IMAGE');
const socketPath = dockerHost.slice('unix://'.length);

/** Counts lines on one direct engine follow stream for the given time. */
function engineFollower(id: string, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let lines = 0;
    const req = request(
      {
        socketPath,
        path: `/v1.41/containers/${id}/logs?follow=1&stdout=1&stderr=1&tail=0`,
        agent: new Agent(),
      },
      (res) => {
        res.on('data', (chunk: Buffer) => {
          for (const byte of chunk) if (byte === 10) lines += 1;
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', reject);
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve(lines);
    }, ms);
  });
}

function berthFollower(
  port: number,
  id: string,
  token: string,
  ms: number,
): Promise<{ lines: number; dropped: number }> {
  return new Promise((resolve, reject) => {
    let lines = 0;
    let dropped = 0;
    const ws = new WebSocket(
      `ws://127.0.0.1:${port}/api/hosts/local/containers/${id}/logs/stream?tail=0`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; count?: number };
      if (message.type === 'line') lines += 1;
      else if (message.type === 'dropped') dropped += message.count ?? 0;
    });
    ws.on('error', reject);
    ws.on('open', () =>
      setTimeout(() => {
        ws.close();
        resolve({ lines, dropped });
      }, ms),
    );
  });
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
const port = await freePort();
const berth = startBerth({
  BERTH_PORT: String(port),
  BERTH_HOST: '127.0.0.1',
  BERTH_TLS: 'off',
  BERTH_DATA_DIR: dataDir,
  BERTH_SETUP_TOKEN: BENCH_SETUP_TOKEN,
  BERTH_API_RATE_LIMIT: '100000',
  DOCKER_HOST: dockerHost,
});
let containerId = '';
try {
  const token = await benchToken(port);
  const auth = { authorization: `Bearer ${token}` };
  const created = await http(
    port,
    'POST',
    '/api/hosts/local/containers',
    {
      name: `firehose-${process.pid}`,
      image,
      command: [
        'sh',
        '-c',
        'i=0; while :; do echo "line $i the quick brown fox jumps over the lazy dog"; i=$((i+1)); done',
      ],
      validateSeconds: 0,
      stopTimeoutS: 1,
    },
    auth,
  );
  containerId = (JSON.parse(created.body) as { container: { id: string } }).container.id;
  const ms = seconds * 1000;

  const direct = await Promise.all(
    Array.from({ length: viewers }, () => engineFollower(containerId, ms)),
  );

  let maxUpstreams = 0;
  let maxViewers = 0;
  let maxRss = 0;
  const rssBefore = (
    JSON.parse((await http(port, 'GET', '/api/system/streams', undefined, auth)).body) as {
      memoryRssBytes: number;
    }
  ).memoryRssBytes;
  const sampler = setInterval(() => {
    void http(port, 'GET', '/api/system/streams', undefined, auth).then((res) => {
      const s = JSON.parse(res.body) as {
        logs: { upstreams: number; viewers: number };
        memoryRssBytes: number;
      };
      maxUpstreams = Math.max(maxUpstreams, s.logs.upstreams);
      maxViewers = Math.max(maxViewers, s.logs.viewers);
      maxRss = Math.max(maxRss, s.memoryRssBytes);
    });
  }, 250);
  const viaBerth = await Promise.all(
    Array.from({ length: viewers }, () => berthFollower(port, containerId, token, ms)),
  );
  clearInterval(sampler);

  const directRate = median(direct) / seconds;
  const berthRate = median(viaBerth.map((v) => v.lines)) / seconds;
  const dropped = viaBerth.reduce((sum, v) => sum + v.dropped, 0);
  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  process.stdout.write(
    [
      '',
      `log viewers: ${viewers} viewers of one container for ${seconds} s each way`,
      `engine follow streams, direct:   ${viewers} (one per viewer)`,
      `engine follow streams via Berth: ${maxUpstreams} (max seen, ${maxViewers} viewers on it)`,
      `lines/s per viewer, median: direct ${directRate.toFixed(0)}, via Berth ${berthRate.toFixed(0)}, ratio ${(berthRate / Math.max(1, directRate)).toFixed(2)}x`,
      `lines dropped for slow viewers (oldest first, viewers told): ${dropped}`,
      `Berth memory (RSS): ${mib(rssBefore)} before, ${mib(maxRss)} at most while streaming`,
      '',
    ].join('\n'),
  );
} finally {
  if (containerId)
    await http(
      port,
      'DELETE',
      `/api/hosts/local/containers/${containerId}?force=true`,
      undefined,
      {},
    ).catch(() => undefined);
  await berth.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
