import { describe, expect, it } from 'vitest';
import type { EngineContainer } from '../../../docker/container-summary.js';
import { withBerthLabels } from '../berth-labels.js';

function listed(labels: Record<string, string>): EngineContainer {
  return {
    id: 'abc123',
    name: 'web',
    image: 'nginx:1',
    imageId: 'sha256:ff',
    imageDigest: null,
    command: 'nginx',
    created: '2023-11-14T22:13:20.000Z',
    state: 'running',
    health: null,
    status: 'Up 5 minutes',
    exitCode: null,
    finishedAt: null,
    restartCount: 0,
    oomKilled: false,
    ports: [],
    networks: [],
    mounts: [],
    labels,
    composeProject: null,
    composeService: null,
  };
}

describe('withBerthLabels', () => {
  it('marks a container Berth labelled as managed, and takes its environment tag', () => {
    const served = withBerthLabels(
      listed({ 'io.berth.managed': 'true', 'io.berth.environment': 'staging' }),
      undefined,
    );
    expect(served).toMatchObject({ managed: true, environment: 'staging' });
  });

  it('prefers the environment Berth recorded over the one in the labels', () => {
    const served = withBerthLabels(listed({ 'io.berth.environment': 'staging' }), 'production');
    expect(served).toMatchObject({ managed: false, environment: 'production' });
  });

  it('leaves a container of someone else unmanaged and untagged', () => {
    const served = withBerthLabels(listed({ 'io.berth.managed': 'yes' }), undefined);
    expect(served).toMatchObject({ managed: false, environment: null });
  });
});
