import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AgentJoin, ContainerList, Host } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../../e2e/berth-process.js';
import {
  AGENT_STATE_DIR,
  buildAgentImage,
  buildNodeBaseImage,
} from '../../../../scripts/lib/agent-image.mjs';
import { dockerCli } from '../../../server/src/testing/docker-cli.js';
import { TEST_LABEL, testSocketPath } from '../../../server/src/testing/test-engine.js';
import { waitFor } from '../../../server/src/testing/wait-for.js';
import { CliWorld } from './cli-harness.js';

// The agent as users run it in a container (docs/agent-container.md): the engine's socket
// mounted at /var/run/docker.sock, its state in a volume, serving the engine it runs on. No
// node image can be pulled here, so the images are made from this machine's Node: the one
// scripts/lib/agent-image.mjs imports (run as root), and packages/cli/Dockerfile built on a
// stand-in for node:20-alpine (run as its `node` user in the socket's group).
const world = new CliWorld();
const runId = randomBytes(4).toString('hex');
const baseImage = `berth-test/node-base:${runId}`;

interface Variant {
  title: string;
  host: string;
  image: string;
  /** `docker run` options beside the documented ones. */
  user: string[];
}

const variants: Variant[] = [
  {
    title: 'the imported image, as root',
    host: 'dockside',
    image: `berth-test/agent:${runId}`,
    user: [],
  },
  {
    title: 'the Dockerfile image, as node in the socket group',
    host: 'quay',
    image: `berth-test/agent-dockerfile:${runId}`,
    user: ['--user', 'node', '--group-add', String(statSync(testSocketPath()).gid)],
  },
];

/** A docker command that must succeed: its output. */
async function docker(...args: string[]): Promise<string> {
  const result = await dockerCli(args);
  if (result.code !== 0)
    throw new Error(`docker ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

async function hostNamed(name: string): Promise<Host> {
  const got = await call(world.base, 'GET', `/api/hosts/${name}`, undefined, world.adminCookie);
  if (got.status !== 200) throw new Error(`GET /api/hosts/${name}: ${got.status} ${got.body}`);
  return JSON.parse(got.body) as Host;
}

/** Waits for the host to pass `check`; on a timeout the message carries the agent's log. */
async function hostWhen(name: string, check: (h: Host) => boolean, agent: string): Promise<Host> {
  try {
    return await waitFor(
      `host ${name} to pass ${check.name}`,
      async () => {
        const h = await hostNamed(name);
        return check(h) && h;
      },
      120_000,
      // The API's rate limit counts the agent's own connects from this address as well.
      250,
    );
  } catch (err) {
    const logs = await dockerCli(['logs', agent]);
    throw new Error(`${(err as Error).message}\nagent log:\n${logs.stdout}${logs.stderr}`);
  }
}

const connected = (h: Host): boolean => h.reachable && h.agent?.state === 'connected';
const unreachable = (h: Host): boolean => !h.reachable;

async function buildImages(): Promise<void> {
  const socket = testSocketPath();
  const [imported, dockerfile] = variants;
  if (!imported || !dockerfile) throw new Error('two variants');
  // One after the other: each import streams about 100 MB of Node to the engine.
  await buildAgentImage(socket, { tag: imported.image });
  await buildNodeBaseImage(socket, { tag: baseImage });
  // As docs/agent-container.md builds it (the legacy builder or BuildKit, whichever is there).
  const context = fileURLToPath(new URL('../..', import.meta.url));
  await docker('build', '--build-arg', `NODE_IMAGE=${baseImage}`, '-t', dockerfile.image, context);
}

beforeAll(async () => {
  await Promise.all([world.start({ BERTH_TLS: 'self-signed' }), buildImages()]);
}, 300_000);

afterAll(async () => {
  const left = await docker('ps', '--all', '--quiet', '--filter', `label=${TEST_LABEL}=${runId}`);
  if (left) await dockerCli(['rm', '--force', ...left.split('\n')]);
  for (const { image } of variants) await dockerCli(['image', 'rm', '--force', image]);
  await dockerCli(['image', 'rm', '--force', baseImage]);
  await world.stop();
}, 120_000);

describe.each(variants)('the agent in a container, given the engine socket: $title', (variant) => {
  // Each step waits on a loaded machine: generous bounds, nothing timed.
  const STEP = 300_000;
  const volume = `berth-test-agent-state-${runId}-${variant.host}`;
  const first = `berth-test-agent-${runId}-${variant.host}`;
  const second = `${first}-again`;
  let paired: Host;

  /** `docker run -d …` as docs/agent-container.md shows it; `--network host` to reach Berth on loopback. */
  const runAgent = (name: string, agentArgs: string[]): Promise<string> =>
    docker(
      'run',
      '-d',
      '--name',
      name,
      '--restart',
      'unless-stopped',
      '--network',
      'host',
      '--label',
      `${TEST_LABEL}=${runId}`,
      ...variant.user,
      '-v',
      `${testSocketPath()}:/var/run/docker.sock`,
      '-v',
      `${volume}:${AGENT_STATE_DIR}`,
      variant.image,
      ...agentArgs,
    );

  afterAll(async () => {
    await dockerCli(['rm', '--force', first, second]);
    await dockerCli(['volume', 'rm', '--force', volume]);
  }, 120_000);

  it(
    'pairs with the join token and serves the engine it runs on',
    async () => {
      const created = await call(
        world.base,
        'POST',
        '/api/hosts',
        { name: variant.host, kind: 'agent' },
        world.adminCookie,
      );
      expect(created.status).toBe(201);
      const { join: token } = JSON.parse(created.body) as { join: AgentJoin };
      await runAgent(first, ['--server', token.serverUrl, '--token', token.token]);
      paired = await hostWhen(variant.host, connected, first);
      expect(paired.agent).toMatchObject({
        state: 'connected',
        engine: 'unix:///var/run/docker.sock',
        policy: { readOnly: false, deniedPaths: [] },
      });
      expect(paired.agent?.keyFingerprint).toMatch(/^SHA256:/);

      // Through the agent, Berth sees the engine's containers: the agent's own among them.
      const list = await waitFor(
        'the agent container in the host list',
        async () => {
          const got = await call(
            world.base,
            'GET',
            `/api/hosts/${variant.host}/containers?all=true`,
            undefined,
            world.adminCookie,
          );
          if (got.status !== 200) return false;
          const body = JSON.parse(got.body) as ContainerList;
          return body.containers.some((c) => c.name === first) && body;
        },
        60_000,
      );
      expect(list.containers.find((c) => c.name === first)).toMatchObject({
        image: variant.image,
        state: 'running',
      });
    },
    STEP,
  );

  it(
    'goes unreachable on docker stop, which ends it cleanly',
    async () => {
      await docker('stop', '--time', '60', first);
      const down = await hostWhen(variant.host, unreachable, first);
      expect(down.agent?.state).toBe('disconnected');
      // PID 1 in the container heard SIGTERM and stopped (a SIGKILL after the timeout is 137).
      expect(await docker('inspect', '--format', '{{.State.ExitCode}}', first)).toBe('0');
      expect((await dockerCli(['logs', first])).stderr).toMatch(/berth agent: stopped/);
    },
    STEP,
  );

  it(
    'comes back on docker start with the key it paired with',
    async () => {
      await docker('start', first);
      const back = await hostWhen(variant.host, connected, first);
      expect(back.agent).toMatchObject({
        keyFingerprint: paired.agent?.keyFingerprint,
        pairedAt: paired.agent?.pairedAt,
      });
    },
    STEP,
  );

  it(
    'a new container on the same volume reconnects without the token or the server',
    async () => {
      await docker('rm', '--force', first);
      await hostWhen(variant.host, unreachable, first);
      await runAgent(second, []);
      const back = await hostWhen(variant.host, connected, second);
      expect(back.agent).toMatchObject({
        keyFingerprint: paired.agent?.keyFingerprint,
        pairedAt: paired.agent?.pairedAt,
      });
    },
    STEP,
  );
});
