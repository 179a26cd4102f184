import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEngineHost } from './test-engine.js';

/** An empty client config, so a developer's ~/.docker (contexts, credential helpers) is unused. */
const clientConfig = mkdtempSync(join(tmpdir(), 'berth-docker-cli-'));

export interface DockerCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `docker` CLI (from PATH) against the test engine, as a user would run the
 * commands Berth shows. An argv array, never a shell string; it resolves with the exit code.
 */
export function dockerCli(args: readonly string[]): Promise<DockerCliResult> {
  return cliRun('docker', args);
}

/**
 * Runs Debian's `docker-compose` (v1, the reference for compose labels; the test script installs
 * it) against the test engine, in `cwd`.
 */
export function composeCli(args: readonly string[], cwd: string): Promise<DockerCliResult> {
  return cliRun('docker-compose', args, cwd);
}

function cliRun(
  command: string,
  args: readonly string[],
  cwd?: string,
  dockerHost = testEngineHost(),
): Promise<DockerCliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: clientConfig,
    DOCKER_HOST: dockerHost,
    DOCKER_CONFIG: clientConfig,
  };
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { env, cwd, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`could not run ${command}: ${error.message}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** The CLI's own version (the client, not the engine), e.g. "28.2.2" or "20.10.24+dfsg1". */
export async function dockerCliVersion(): Promise<string> {
  const result = await dockerCli(['version', '--format', '{{.Client.Version}}']);
  if (result.code !== 0) throw new Error(`docker version failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** The real `docker` CLI against another engine than the shared one (`unix:///…` or `tcp://…`), in `cwd`. */
export function dockerCliOn(
  dockerHost: string,
  args: readonly string[],
  cwd?: string,
): Promise<DockerCliResult> {
  return cliRun('docker', args, cwd, dockerHost);
}
