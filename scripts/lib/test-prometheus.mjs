// A real Prometheus (Debian's `prometheus` package) on loopback for the tests of Berth's
// /metrics: its own config, TSDB and log in a temporary directory, scraping the targets it is
// given every second, so a test can ask its HTTP API what it scraped.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall, freePort, halt, isRoot, logTail } from './loopback-service.mjs';
import { which } from './run.mjs';

const PROMETHEUS_BIN = '/usr/bin/prometheus';

/**
 * Makes sure Debian's prometheus is installed. As root with apt it installs it (without the
 * recommended exporters); otherwise it fails with one clear line.
 */
export async function ensurePrometheusTools() {
  if (existsSync(PROMETHEUS_BIN)) return;
  if (isRoot() && (await which('apt-get'))) {
    await aptInstall(['prometheus'], 'for the scrape tests');
    if (existsSync(PROMETHEUS_BIN)) return;
    throw new Error(`installing prometheus gave no ${PROMETHEUS_BIN}`);
  }
  throw new Error(
    'the Prometheus tests need prometheus (Debian/Ubuntu: sudo apt-get install prometheus)',
  );
}

// JSON is valid YAML, so the config needs no YAML quoting of paths or secrets.
async function prometheusConfig(dir, jobs) {
  const scrapeConfigs = [];
  for (const job of jobs) {
    const config = {
      job_name: job.name,
      scheme: job.scheme ?? 'http',
      metrics_path: job.path ?? '/metrics',
      static_configs: [{ targets: [job.target] }],
      tls_config: { insecure_skip_verify: true },
    };
    if (job.token !== undefined) {
      // A file of its own, mode 0600: the secret is in no config and no process list.
      const credentialsFile = join(dir, `${job.name}.token`);
      await writeFile(credentialsFile, job.token, { mode: 0o600 });
      config.authorization = { type: 'Bearer', credentials_file: credentialsFile };
    }
    scrapeConfigs.push(config);
  }
  return {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    scrape_configs: scrapeConfigs,
  };
}

async function answersReady(url) {
  try {
    const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function launch(dir) {
  const port = await freePort();
  const logPath = join(dir, 'prometheus.log');
  const logFd = openSync(logPath, 'a');
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    if (await answersReady(url)) return { child, url };
    await Promise.race([exited, new Promise((r) => setTimeout(r, 200))]);
  }
  await halt(child);
  return { failure: logTail(logPath) };
}

/**
 * Starts Prometheus on a free loopback port, scraping each job's target every second (with
 * its bearer token, when it has one; certificates not checked). Returns { url, stop() }.
 */
export async function startTestPrometheus({ jobs }) {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error('prometheus is not installed (Debian/Ubuntu: apt-get install prometheus)');
  }
  const dir = await mkdtemp(join(tmpdir(), 'berth-prometheus-'));
  try {
    const config = await prometheusConfig(dir, jobs);
    await writeFile(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
    // Another process may take the free port before Prometheus binds it: try a few.
    let failure = '';
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const started = await launch(dir);
      if (started.failure !== undefined) {
        failure = started.failure;
        continue;
      }
      const { child, url } = started;
      return {
        url,
        async stop() {
          await halt(child);
          await rm(dir, { recursive: true, force: true, maxRetries: 5 });
        },
      };
    }
    throw new Error(`Prometheus did not come up; last lines of its log:\n${failure}`);
  } catch (err) {
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    throw err;
  }
}
