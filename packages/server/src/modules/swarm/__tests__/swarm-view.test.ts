import { describe, expect, it } from 'vitest';
import type { RawNode } from '../../../docker/swarm-types.js';
import { membershipOf, nodeUpdateCommand, quorumOf } from '../swarm-view.js';

function manager(reachability: string): RawNode {
  return {
    ID: `m-${Math.random()}`,
    Version: { Index: 1 },
    CreatedAt: '',
    UpdatedAt: '',
    Spec: { Role: 'manager', Availability: 'active', Labels: { zone: 'a' } },
    Description: {
      Hostname: 'node-1',
      Platform: { Architecture: 'x86_64', OS: 'linux' },
      Resources: { NanoCPUs: 2e9, MemoryBytes: 1 << 30 },
      Engine: { EngineVersion: '20.10.24' },
    },
    Status: { State: 'ready', Addr: '10.0.0.1' },
    ManagerStatus: { Reachability: reachability, Addr: '10.0.0.1:2377' },
  };
}

describe('swarm quorum and commands', () => {
  it('warns while losing one more manager would lose quorum', () => {
    const of = (...r: string[]) => quorumOf(r.map(manager));
    expect(of('reachable')).toMatchObject({ needed: 1, canLose: 0 });
    expect(of('reachable').warning).toMatch(/single manager/);
    expect(of('reachable', 'reachable')).toMatchObject({ needed: 2, canLose: 0 });
    expect(of('reachable', 'reachable').warning).toMatch(/Losing one more manager/);
    expect(of('reachable', 'reachable', 'reachable')).toMatchObject({ canLose: 1, warning: null });
    expect(of('reachable', 'reachable', 'unreachable').warning).toMatch(/Losing one more/);
    expect(of('reachable', 'unreachable', 'unreachable').warning).toMatch(/Quorum is lost/);
    expect(of('reachable', 'reachable', 'reachable', 'reachable', 'reachable').canLose).toBe(2);
  });

  it('reads membership from /info: only a manager knows the cluster', () => {
    expect(membershipOf(undefined)).toEqual({
      state: 'inactive',
      manager: false,
      clusterId: null,
      nodeId: null,
      role: null,
    });
    const worker = {
      NodeID: 'n1',
      NodeAddr: '',
      LocalNodeState: 'active',
      ControlAvailable: false,
    };
    expect(membershipOf({ ...worker, Error: '', RemoteManagers: null })).toMatchObject({
      role: 'worker',
      clusterId: null,
    });
  });

  it('says a change as the docker command that makes it', () => {
    const node = manager('reachable');
    expect(nodeUpdateCommand(node, { version: 1, role: 'worker' })).toBe(
      'docker node demote node-1',
    );
    expect(nodeUpdateCommand(node, { version: 1, role: 'worker', availability: 'drain' })).toBe(
      'docker node update --role worker --availability drain node-1',
    );
    expect(
      nodeUpdateCommand(node, { version: 1, labels: { zone: 'b', 'x y': '$(touch /tmp/p)' } }),
    ).toBe("docker node update --label-add zone=b --label-add 'x y=$(touch /tmp/p)' node-1");
    expect(nodeUpdateCommand(node, { version: 1, labels: {} })).toBe(
      'docker node update --label-rm zone node-1',
    );
  });
});
