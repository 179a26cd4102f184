import type { StateChange } from '@berth/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../engine-client.js';
import { EngineState } from '../engine-state.js';
import { entryFromList, withStatus } from '../container-summary.js';
import { EngineFixtures, TEST_LABEL, testEngineEndpoint } from '../../testing/test-engine.js';
import { testLogger } from '../../testing/silent-logger.js';
import { waitFor } from '../../testing/wait-for.js';

const fixtures = new EngineFixtures();
let client: EngineClient;
let state: EngineState;
const changes: StateChange[] = [];

beforeAll(async () => {
  client = new EngineClient(testEngineEndpoint());
  state = new EngineState({ hostId: 'local', client, logger: testLogger() });
  state.onChange((change) => changes.push(change));
  state.start();
  await state.whenSynced();
});

afterEach(() => {
  changes.length = 0;
});

afterAll(async () => {
  await state.stop();
  client.close();
  await fixtures.cleanup();
});

describe('EngineState against a real engine', () => {
  it('reports the host reachable with the engine version once synced', () => {
    const status = state.status;
    expect(status.reachable).toBe(true);
    expect(status.error).toBeNull();
    expect(status.version).toMatch(/^\d+\.\d+/);
    expect(status.apiVersion).toMatch(/^1\.\d+$/);
    expect(state.images().some((image) => image.RepoTags?.includes('berth-test/busybox:1'))).toBe(
      true,
    );
  });

  it('follows a container through create, start, stop and remove from events alone', async () => {
    const id = await fixtures.createContainer('lifecycle');
    const created = await waitFor('the created container', () => state.container(id));
    expect(created.name).toBe(fixtures.name('lifecycle'));
    expect(created.state).toBe('created');
    expect(created.labels[TEST_LABEL]).toBe(fixtures.runId);

    await fixtures.start(id);
    await waitFor('running state', () => state.container(id)?.state === 'running');

    await fixtures.stop(id);
    const stopped = await waitFor('exited state', () => {
      const c = state.container(id);
      return c?.state === 'exited' ? c : undefined;
    });
    expect(stopped.status).toMatch(/^Exited/);

    await fixtures.remove(id);
    await waitFor('removal', () => state.container(id) === undefined);
    const kinds = changes.filter((c) => c.id === id).map((c) => c.action);
    expect(kinds[0]).toBe('upsert');
    expect(kinds.at(-1)).toBe('remove');
  });

  it('builds the same list entry from events (inspect) as from a listing', async () => {
    const created = await client.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: fixtures.name('same') },
      body: {
        Image: 'berth-test/busybox:1',
        Cmd: ['sleep', '300'],
        Labels: { [TEST_LABEL]: fixtures.runId, 'com.docker.compose.project': 'p' },
        ExposedPorts: { '80/tcp': {}, '53/udp': {} },
        HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
      },
    });
    await fixtures.start(created.Id);
    const fromEvents = await waitFor('running', () => {
      const c = state.container(created.Id);
      return c?.state === 'running' ? c : undefined;
    });
    const [listed] = await client.listContainers({ id: [created.Id] });
    const fromList = listed ? withStatus(entryFromList(listed, Date.now()), Date.now()) : undefined;
    const sortPorts = (c: typeof fromEvents | undefined) => ({
      ...c,
      status: c?.status.replace(/\d+ seconds|Less than a second|1 second/, 'T'),
      ports: [...(c?.ports ?? [])].sort((a, b) => a.privatePort - b.privatePort),
    });
    expect(sortPorts(fromEvents)).toEqual(sortPorts(fromList));
    await fixtures.remove(created.Id);
    await waitFor('removal', () => state.container(created.Id) === undefined);
  });

  it('follows networks, volumes and image tags', async () => {
    const network = await client.request<{ Id: string }>('POST', '/networks/create', {
      body: { Name: fixtures.name('net'), Labels: { [TEST_LABEL]: fixtures.runId } },
    });
    await waitFor('the network', () => state.networks().find((n) => n.Id === network.Id));

    const volumeName = fixtures.name('vol');
    await client.request('POST', '/volumes/create', {
      body: { Name: volumeName, Labels: { [TEST_LABEL]: fixtures.runId } },
    });
    await waitFor('the volume', () => state.volumes().find((v) => v.Name === volumeName));

    const tag = `retag-${fixtures.runId}`;
    await client.request('POST', '/images/berth-test/busybox:1/tag', {
      query: { repo: 'berth-test/busybox', tag },
    });
    await waitFor('the new tag', () =>
      state.images().some((i) => i.RepoTags?.includes(`berth-test/busybox:${tag}`)),
    );
    await client.request('DELETE', `/images/berth-test/busybox:${tag}`);
    await waitFor(
      'the tag gone',
      () => !state.images().some((i) => i.RepoTags?.includes(`berth-test/busybox:${tag}`)),
    );

    await client.request('DELETE', `/networks/${network.Id}`);
    await client.request('DELETE', `/volumes/${volumeName}`);
    await waitFor('network removal', () => !state.networks().some((n) => n.Id === network.Id));
    await waitFor('volume removal', () => !state.volumes().some((v) => v.Name === volumeName));
  });

  it('sends no requests to the engine while nothing happens (no polling)', async () => {
    await state.settled();
    const before = client.requestCount;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(client.requestCount).toBe(before);
  });

  it('matches a fresh engine listing after a burst of changes', async () => {
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) => fixtures.createContainer(`burst${i}`)),
    );
    await Promise.all(ids.slice(0, 4).map((id) => fixtures.start(id)));
    await Promise.all(ids.slice(6).map((id) => fixtures.remove(id)));
    const expected = async (): Promise<string> =>
      (await fixtures.listOwnContainers())
        .map((c) => `${c.Id}:${c.State}`)
        .sort()
        .join(',');
    const own = (): string =>
      state
        .containers()
        .filter((c) => c.labels[TEST_LABEL] === fixtures.runId)
        .map((c) => `${c.id}:${c.state}`)
        .sort()
        .join(',');
    const truth = await expected();
    await waitFor('state to match the engine', () => own() === truth);
    expect(own().split(',')).toHaveLength(6);
  });
});
