/**
 * Viewers following one container's logs at a high line rate, through Berth (one shared
 * upstream) and, for comparison in the same run, straight from the engine (one follow stream
 * each), at 1, 20 and 50 viewers (`--max-viewers 20` stops at 20).
 * Prints per-viewer delivery rates and their ratio, upstream counts, drops and Berth's memory.
 * The container is removed through the engine itself at the end, whatever happened.
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

const { seconds, 'max-viewers': maxViewers } = benchOptions({ seconds: 5, 'max-viewers': 50 });
const counts = [1, 20, 50].filter((n) => n <= maxViewers);
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const image = requireEnv('BERTH_TEST_IMAGE');
const socketPath = dockerHost.slice('unix://'.length);

/** One call to the engine itself (cleanup must not depend on Berth or its token). */
function engine(method: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

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
          for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines += 1;
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

/** Lines in one `lines` message, counted as cheaply as the direct reader counts newlines. */
function linesIn(text: string): number {
  let n = 0;
  for (let at = text.indexOf('{"stream":'); at >= 0; at = text.indexOf('{"stream":', at + 10))
    n += 1;
  return n;
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
      { headers: { authorization: `Bearer ${token}` } },
    );
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (text.startsWith('{"type":"lines"')) lines += linesIn(text);
      else {
        const message = JSON.parse(text) as { type: string; count?: number };
        if (message.type === 'dropped') dropped += message.count ?? 0;
      }
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
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

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
const name = `firehose-${process.pid}`;
let containerId = '';
try {
  const token = await benchToken(port);
  const auth = { authorization: `Bearer ${token}` };
  const created = await http(
    port,
    'POST',
    '/api/hosts/local/containers',
    {
      name,
      image,
      command: [
        'sh',
        '-c',
        'i=0; while :; do echo "line $i the quick brown fox jumps over the lazy dog"; i=$((i+1)); done',
      ],
      labels: { 'io.berth.bench': String(process.pid) },
      validateSeconds: 0,
      stopTimeoutS: 1,
    },
    auth,
  );
  if (created.status !== 201) throw new Error(`creating the container: ${created.body}`);
  containerId = (JSON.parse(created.body) as { container: { id: string } }).container.id;
  const ms = seconds * 1000;
  const streams = async (): Promise<{
    logs: { upstreams: number; viewers: number };
    memoryRssBytes: number;
  }> =>
    JSON.parse((await http(port, 'GET', '/api/system/streams', undefined, auth)).body) as {
      logs: { upstreams: number; viewers: number };
      memoryRssBytes: number;
    };

  const out = ['', `log viewers: one container printing as fast as it can, ${seconds} s each way`];
  for (const viewers of counts) {
    const direct = await Promise.all(
      Array.from({ length: viewers }, () => engineFollower(containerId, ms)),
    );
    let maxUpstreams = 0;
    let maxRss = 0;
    const rssBefore = (await streams()).memoryRssBytes;
    const sampler = setInterval(() => {
      void streams().then((s) => {
        maxUpstreams = Math.max(maxUpstreams, s.logs.upstreams);
        maxRss = Math.max(maxRss, s.memoryRssBytes);
      });
    }, 500);
    const viaBerth = await Promise.all(
      Array.from({ length: viewers }, () => berthFollower(port, containerId, token, ms)),
    );
    clearInterval(sampler);
    const directRate = median(direct) / seconds;
    const berthRate = median(viaBerth.map((v) => v.lines)) / seconds;
    const dropped = viaBerth.reduce((sum, v) => sum + v.dropped, 0);
    const told = viaBerth.filter((v) => v.dropped > 0).length;
    out.push(
      `${String(viewers).padStart(2)} viewer(s): lines/s per viewer, median: direct ${directRate.toFixed(0)} (${viewers} engine streams), ` +
        `via Berth ${berthRate.toFixed(0)} (${maxUpstreams} engine stream), ratio ${(berthRate / Math.max(1, directRate)).toFixed(2)}x; ` +
        `dropped ${dropped} lines (${told} viewer(s) told); Berth RSS ${mib(rssBefore)} -> ${mib(maxRss)} at most`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n\n`);
} finally {
  // By name, through the engine: removed even if Berth failed before answering with an id.
  await engine('DELETE', `/containers/${name}?force=1`).catch(() => 0);
  await berth.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
