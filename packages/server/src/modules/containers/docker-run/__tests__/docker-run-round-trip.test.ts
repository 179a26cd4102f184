import type { ContainerDetail } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DOCKER_DEFAULTS,
  dockerRunArgs,
  dockerRunCommand,
  engineDefaults,
  type EngineDefaults,
} from '../docker-run-command.js';
import type { RawContainerInspect, RawImageInspect } from '../../../../docker/engine-types.js';
import { setupAdmin, type ApiClient } from '../../../../testing/api-client.js';
import { dockerCli, dockerCliVersion } from '../../../../testing/docker-cli.js';
import { startTestApp, type TestApp } from '../../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../../testing/test-engine.js';
import {
  RICH_IMAGE_CONFIG,
  ROUND_TRIP_CASES,
  type RoundTripCase,
  type RoundTripContext,
} from './docker-run-cases.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * What may differ between a container and its copy made by running Berth's command, and why:
 * - Config.Attach*, StdinOnce: how the creating client attaches. The shown `docker run
 *   --detach` attaches nothing; the test runs the same argv as `docker create` (so nothing
 *   starts), which attaches stdout and stderr, and stdin with -i.
 * - HostConfig.ConsoleSize: the size of the creating client's terminal.
 * - Endpoint addresses, gateway, MAC and ids other than the network's: assigned at start.
 * And what is compared in the form the engine acts on:
 * - The container's own id, short id and name as placeholders: the copy is another container,
 *   and an unset hostname is the short id.
 * - Entrypoint and Cmd as the one argv they make: --entrypoint takes one word, so the further
 *   words of a longer entrypoint lead the command; the process runs the same argv.
 * - Capabilities without the CAP_ prefix, which newer clients add and the engine ignores.
 * - Env sorted: recent clients send --env values in no fixed order (through a map); each name
 *   appears once, so the order means nothing to the engine.
 * - Unset (null, "", [], {}) as absent; RestartPolicy "" as "no"; no Runtime as the default.
 */
const CLIENT_ONLY = {
  Config: ['AttachStdin', 'AttachStdout', 'AttachStderr', 'StdinOnce'],
  HostConfig: ['ConsoleSize'],
};
const ENDPOINT_SETTINGS = ['IPAMConfig', 'Links', 'Aliases', 'NetworkID', 'DriverOpts'];

function omit(object: Json | undefined, keys: string[]): Record<string, Json> {
  const source =
    object !== null && typeof object === 'object' && !Array.isArray(object) ? object : {};
  return Object.fromEntries(Object.entries(source).filter(([key]) => !keys.includes(key)));
}

/**
 * The same value in the form the engine would act on: a container's own id, short id and name
 * become placeholders (it is a different container), and an unset list, map or string is
 * dropped, since the engine reports what a client left out as null where the CLI sent [] or {}.
 */
function canonical(value: Json, self: { id: string; name: string }): Json | undefined {
  if (typeof value === 'string') {
    if (value === '') return undefined;
    return value
      .replaceAll(self.id, '<id>')
      .replaceAll(self.id.slice(0, 12), '<id>')
      .replaceAll(self.name, '<name>');
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item, self) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, canonical(item, self)] as const)
      .filter((entry): entry is [string, Json] => entry[1] !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value ?? undefined;
}

const text = (value: Json | undefined): string => (typeof value === 'string' ? value : '');

function settings(raw: Record<string, Json>, defaults: EngineDefaults): Json | undefined {
  const self = { id: text(raw.Id), name: text(raw.Name).replace(/^\//, '') };
  const host = omit(raw.HostConfig, CLIENT_ONLY.HostConfig);
  // An unset restart policy is "no"; an unset runtime is the engine's default one.
  const restart = omit(host.RestartPolicy, []);
  host.RestartPolicy = { ...restart, Name: restart.Name === '' ? 'no' : (restart.Name ?? 'no') };
  host.Runtime ??= defaults.runtime;
  // The docker CLI collects `--volume` values in a map, so their order in Binds varies from run
  // to run; the order of binds is no setting of the container.
  if (Array.isArray(host.Binds)) host.Binds = [...host.Binds].map(text).sort();
  for (const key of ['CapAdd', 'CapDrop']) {
    const list = host[key];
    if (Array.isArray(list)) host[key] = list.map((c) => text(c).replace(/^CAP_/, ''));
  }
  const config = omit(raw.Config, [...CLIENT_ONLY.Config, 'Entrypoint', 'Cmd']);
  const words = (list: Json | undefined) => (Array.isArray(list) ? list : []);
  const fromConfig = omit(raw.Config, []);
  if (Array.isArray(config.Env)) config.Env = [...config.Env].sort();
  config.Process = [...words(fromConfig.Entrypoint), ...words(fromConfig.Cmd)];
  const endpoints = omit(omit(raw.NetworkSettings, []).Networks, []);
  const networks = Object.fromEntries(
    Object.entries(endpoints).map(([name, endpoint]) => {
      const kept = omit(endpoint, []);
      return [name, Object.fromEntries(ENDPOINT_SETTINGS.map((key) => [key, kept[key] ?? null]))];
    }),
  );
  return canonical(
    {
      Image: raw.Image ?? null,
      Platform: raw.Platform ?? null,
      Config: config,
      HostConfig: host,
      Networks: networks,
    },
    self,
  );
}

describe('the docker run command Berth shows recreates the container with the real docker CLI', () => {
  const fixtures = new EngineFixtures();
  const made: string[] = [];
  let t: TestApp;
  let admin: ApiClient;
  let context: RoundTripContext;
  let defaults: EngineDefaults;
  let engineApi = '';
  let cliVersion = '';

  const rawInspect = (id: string) =>
    fixtures.client.request<Record<string, Json>>('GET', `/containers/${id}/json`);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    const network = fixtures.name('net');
    const volume = fixtures.name('vol');
    await fixtures.client.request('POST', '/networks/create', {
      body: {
        Name: network,
        EnableIPv6: true,
        Labels: { [TEST_LABEL]: fixtures.runId },
        IPAM: { Config: [{ Subnet: '10.214.9.0/24' }, { Subnet: 'fd00:214:9::/64' }] },
      },
    });
    await fixtures.client.request('POST', '/volumes/create', {
      body: { Name: volume, Labels: { [TEST_LABEL]: fixtures.runId } },
    });
    const helperId = await fixtures.createContainer('helper');
    const richImage = `berth-test/rich:${fixtures.runId}`;
    const base = await fixtures.createContainer('image-base');
    await fixtures.client.request('POST', '/commit', {
      query: { container: base, repo: 'berth-test/rich', tag: fixtures.runId },
      body: RICH_IMAGE_CONFIG,
    });
    context = {
      runId: fixtures.runId,
      network,
      volume,
      helperName: fixtures.name('helper'),
      helperId,
      richImage,
    };
    engineApi = (await fixtures.client.version()).ApiVersion;
    defaults = engineDefaults(await fixtures.client.info(), engineApi);
    cliVersion = await dockerCliVersion();
  });

  afterAll(async () => {
    await t.close();
    // Anonymous volumes go with their containers (v=true); the rest is the fixtures'.
    for (const id of made) {
      await fixtures.client.request('DELETE', `/containers/${id}`, {
        query: { force: true, v: true },
      });
    }
    await fixtures.client.request('DELETE', `/images/berth-test/rich:${fixtures.runId}`, {
      query: { force: true },
    });
    await fixtures.cleanup();
  });

  async function createOriginal(name: string, body: Record<string, unknown>) {
    const created = await fixtures.client.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: fixtures.name(name) },
      body,
    });
    made.push(created.Id);
    const original = await fixtures.client.request<RawContainerInspect>(
      'GET',
      `/containers/${created.Id}/json`,
    );
    const image = await fixtures.client.request<RawImageInspect>(
      'GET',
      `/images/${encodeURIComponent(original.Image)}/json`,
    );
    return { original, image };
  }

  /** The case made through the Engine API, and its copy made by `docker create` with Berth's argv. */
  async function roundTrip(testCase: RoundTripCase) {
    const { original, image } = await createOriginal(testCase.name, testCase.body(context));
    const argv = dockerRunArgs(original, image, defaults);
    const name = original.Name.slice(1);
    expect(argv.slice(0, 5)).toEqual(['docker', 'run', '--detach', '--name', name]);
    const copyName = fixtures.name(`${testCase.name}-copy`);
    // `docker create` takes what `docker run --detach` takes, without starting anything.
    const result = await dockerCli(['create', '--name', copyName, ...argv.slice(5)]);
    if (result.code === 0) made.push(result.stdout.trim());
    return { originalId: original.Id, argv, result, copyId: result.stdout.trim() };
  }

  async function expectSameSettings(originalId: string, copyId: string) {
    const [original, copy] = await Promise.all([rawInspect(originalId), rawInspect(copyId)]);
    expect(settings(copy, defaults)).toEqual(settings(original, defaults));
  }

  it.each(ROUND_TRIP_CASES.filter((c) => !c.macAddress))(
    '$name: docker create with Berth’s argv gives the same Config, HostConfig and networks',
    async (testCase) => {
      const { originalId, copyId, result } = await roundTrip(testCase);
      // The engine warns about settings this kernel lacks; it does so for both containers.
      expect(result.stderr.replace(/^WARNING:.*\n/gm, ''), result.stderr).toBe('');
      expect(result.code).toBe(0);
      await expectSameSettings(originalId, copyId);
    },
  );

  it('mac-address: the same MAC, where the docker CLI can still send it to this engine', async () => {
    const testCase = ROUND_TRIP_CASES.find((c) => c.macAddress);
    if (!testCase) throw new Error('no MAC case');
    const { originalId, copyId, argv, result } = await roundTrip(testCase);
    expect(argv).toContain('--mac-address');
    // docker 25 and later send the MAC per network, which engines before API 1.44 refuse:
    // the command is right for a CLI of the engine's own era, and no newer CLI can say it.
    const [major = 0] = cliVersion.split('.').map(Number);
    const [, minor = 0] = engineApi.split('.').map(Number);
    if (major >= 25 && minor < 44) {
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('mac-address');
      return;
    }
    expect(result.code, result.stderr).toBe(0);
    await expectSameSettings(originalId, copyId);
  });

  it('is what the container page shows, with the engine’s own defaults left out', async () => {
    const [rich] = ROUND_TRIP_CASES;
    if (!rich) throw new Error('no cases');
    const { original, image } = await createOriginal('page', rich.body(context));
    const res = await admin.get(`/api/hosts/local/containers/${original.Id}`);
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json<ContainerDetail>();
    expect(detail.cli).toBe(dockerRunCommand(original, image, defaults));
    expect(detail.cli).toContain('--add-host db.local:10.1.2.3');
    expect(detail.cli).not.toContain('--runtime');
    expect(detail.cli).not.toContain('--ipc');
  });

  it('is still shown, assuming docker’s stock defaults, when the engine refuses /info', async () => {
    const { original, image } = await createOriginal('no-info', {
      Image: TEST_IMAGE,
      Labels: { [TEST_LABEL]: fixtures.runId },
      HostConfig: { ExtraHosts: ['db.local:10.1.2.3'] },
    });
    const client = t.hosts.get('local')?.client;
    if (!client) throw new Error('no local host');
    // A socket proxy in front of the engine (as many are set up) answering 403 to /info.
    const refused = vi.spyOn(client, 'info').mockRejectedValue(new Error('403 Forbidden'));
    try {
      const res = await admin.get(`/api/hosts/local/containers/${original.Id}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(refused).toHaveBeenCalled();
      expect(res.json<ContainerDetail>().cli).toBe(
        dockerRunCommand(original, image, DOCKER_DEFAULTS),
      );
    } finally {
      refused.mockRestore();
    }
  });
});
