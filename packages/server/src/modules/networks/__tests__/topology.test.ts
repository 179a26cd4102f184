import { describe, expect, it } from 'vitest';
import { buildTopology, networkDocument, type TopologyInput } from '../topology.js';

const GENERATED_AT = new Date('2024-05-01T12:00:00.000Z');

/** Deliberately listed out of order, as the engine may return them. */
function fixture(): TopologyInput {
  return {
    networks: [
      {
        id: 'n-host',
        name: 'host',
        driver: 'host',
        subnets: [],
        gateway: null,
        internal: false,
      },
      {
        id: 'n-backend',
        name: 'backend',
        driver: 'bridge',
        subnets: ['10.10.0.0/29'],
        gateway: null,
        internal: true,
      },
      {
        id: 'n-app',
        name: 'app_net',
        driver: 'bridge',
        subnets: ['172.20.0.0/24', 'fd00:20::/64'],
        gateway: '172.20.0.1',
        internal: false,
      },
    ],
    containers: [
      {
        id: 'c-web',
        name: 'web',
        state: 'running',
        networks: [{ networkId: 'n-app', ip: '172.20.0.10', aliases: ['web', 'frontend'] }],
        ports: [
          { containerPort: 443, hostPort: null, protocol: 'tcp', hostIp: null },
          { containerPort: 80, hostPort: 8080, protocol: 'tcp', hostIp: '::' },
          { containerPort: 80, hostPort: 8080, protocol: 'tcp', hostIp: '0.0.0.0' },
        ],
      },
      {
        id: 'c-monitor',
        name: 'monitor',
        state: 'running',
        networks: [
          { networkId: 'n-host', ip: '', aliases: [] },
          { networkId: 'n-gone', ip: '192.168.9.2', aliases: [] },
        ],
        ports: [],
      },
      {
        id: 'c-db',
        name: 'db',
        state: 'exited',
        networks: [{ networkId: 'n-backend', ip: null, aliases: ['db|primary'] }],
        ports: [{ containerPort: 5432, hostPort: 5432, protocol: 'tcp', hostIp: null }],
      },
      {
        id: 'c-api',
        name: 'api',
        state: 'running',
        networks: [
          { networkId: 'n-backend', ip: '10.10.0.2', aliases: [] },
          { networkId: 'n-app', ip: '172.20.0.9', aliases: ['api'] },
        ],
        ports: [],
      },
    ],
    reservations: [
      { networkId: 'n-app', ip: '172.20.0.100', purpose: 'load balancer\nVIP' },
      { networkId: 'n-backend', ip: '10.10.0.3', purpose: 'db failover' },
      { networkId: 'n-app', ip: '172.20.0.20', purpose: 'cache' },
      { networkId: 'n-gone', ip: '192.168.9.9', purpose: 'stale' },
    ],
  };
}

describe('buildTopology', () => {
  it('lists networks, then containers, each sorted by name', () => {
    const { nodes } = buildTopology(fixture());
    expect(nodes.map((node) => `${node.kind}:${node.name}`)).toEqual([
      'network:app_net',
      'network:backend',
      'network:host',
      'container:api',
      'container:db',
      'container:monitor',
      'container:web',
    ]);
  });

  it('gives nodes exactly the documented fields', () => {
    const { nodes } = buildTopology(fixture());
    expect(nodes[0]).toEqual({
      kind: 'network',
      id: 'n-app',
      name: 'app_net',
      driver: 'bridge',
      subnets: ['172.20.0.0/24', 'fd00:20::/64'],
      internal: false,
    });
    expect(nodes[4]).toEqual({
      kind: 'container',
      id: 'c-db',
      name: 'db',
      state: 'exited',
      ports: [{ containerPort: 5432, hostPort: 5432, protocol: 'tcp', hostIp: null }],
    });
  });

  it('links each container to its networks and drops links to unknown networks', () => {
    const { edges } = buildTopology(fixture());
    expect(edges).toEqual([
      { from: 'c-api', to: 'n-app', ip: '172.20.0.9', aliases: ['api'] },
      { from: 'c-api', to: 'n-backend', ip: '10.10.0.2', aliases: [] },
      { from: 'c-db', to: 'n-backend', ip: null, aliases: ['db|primary'] },
      { from: 'c-monitor', to: 'n-host', ip: null, aliases: [] },
      { from: 'c-web', to: 'n-app', ip: '172.20.0.10', aliases: ['web', 'frontend'] },
    ]);
  });

  it('keeps a container with no networks as a lone node', () => {
    const input: TopologyInput = {
      networks: [],
      containers: [{ id: 'c1', name: 'solo', state: 'created', networks: [], ports: [] }],
      reservations: [],
    };
    expect(buildTopology(input)).toEqual({
      nodes: [{ kind: 'container', id: 'c1', name: 'solo', state: 'created', ports: [] }],
      edges: [],
    });
  });

  it('does not share arrays with its input', () => {
    const input = fixture();
    const { nodes, edges } = buildTopology(input);
    const network = nodes[0];
    if (network?.kind !== 'network') throw new Error('expected a network node first');
    network.subnets.push('10.0.0.0/8');
    edges[0]?.aliases.push('changed');
    expect(input.networks[2]?.subnets).toEqual(['172.20.0.0/24', 'fd00:20::/64']);
    expect(input.containers[3]?.networks[1]?.aliases).toEqual(['api']);
  });
});

describe('networkDocument', () => {
  it('renders the fixture exactly', () => {
    const expected = [
      '# Networks on pi-01',
      '',
      'Generated 2024-05-01T12:00:00.000Z.',
      '',
      '## Summary',
      '',
      '| Network | Driver | Subnets | Gateway | Internal | Members | Usable addresses left |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| app_net | bridge | 172.20.0.0/24, fd00:20::/64 | 172.20.0.1 | no | 2 | 249 |',
      '| backend | bridge | 10.10.0.0/29 | - | yes | 2 | 3 |',
      '| host | host | - | - | no | 1 | - |',
      '',
      '## Network app_net',
      '',
      '### Reservations',
      '',
      '| IP | Purpose |',
      '| --- | --- |',
      '| 172.20.0.20 | cache |',
      '| 172.20.0.100 | load balancer<br>VIP |',
      '',
      '### Members',
      '',
      '| Container | IP | Aliases | Published ports |',
      '| --- | --- | --- | --- |',
      '| api | 172.20.0.9 | api | - |',
      '| web | 172.20.0.10 | web, frontend | 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp |',
      '',
      '## Network backend',
      '',
      '### Reservations',
      '',
      '| IP | Purpose |',
      '| --- | --- |',
      '| 10.10.0.3 | db failover |',
      '',
      '### Members',
      '',
      '| Container | IP | Aliases | Published ports |',
      '| --- | --- | --- | --- |',
      '| api | 10.10.0.2 | - | - |',
      '| db | - | db\\|primary | 5432->5432/tcp |',
      '',
      '## Network host',
      '',
      '### Reservations',
      '',
      'None.',
      '',
      '### Members',
      '',
      '| Container | IP | Aliases | Published ports |',
      '| --- | --- | --- | --- |',
      '| monitor | - | - | - |',
      '',
    ].join('\n');
    expect(networkDocument('pi-01', fixture(), GENERATED_AT)).toBe(expected);
  });

  it('says so when there are no networks', () => {
    const empty: TopologyInput = { networks: [], containers: [], reservations: [] };
    expect(networkDocument('box', empty, GENERATED_AT)).toBe(
      [
        '# Networks on box',
        '',
        'Generated 2024-05-01T12:00:00.000Z.',
        '',
        '## Summary',
        '',
        'No networks.',
        '',
      ].join('\n'),
    );
  });

  it('keeps pipes and line breaks from breaking tables and headings', () => {
    const input: TopologyInput = {
      networks: [
        {
          id: 'n1',
          name: 'odd|name',
          driver: 'bridge',
          subnets: ['10.0.0.0/30'],
          gateway: '10.0.0.1',
          internal: false,
        },
      ],
      containers: [
        {
          id: 'c1',
          name: 'a|b',
          state: 'running',
          networks: [{ networkId: 'n1', ip: '10.0.0.2', aliases: ['x\r\ny', 'z|w'] }],
          ports: [],
        },
      ],
      reservations: [],
    };
    const document = networkDocument('host\nname', input, GENERATED_AT);
    expect(document.startsWith('# Networks on host name\n')).toBe(true);
    expect(document).toContain('| odd\\|name | bridge | 10.0.0.0/30 | 10.0.0.1 | no | 1 | 0 |');
    expect(document).toContain('## Network odd|name\n');
    expect(document).toContain('| a\\|b | 10.0.0.2 | x<br>y, z\\|w | - |');
  });

  it('orders members numerically, then IPv6, then those without an address', () => {
    const input: TopologyInput = {
      networks: [
        {
          id: 'n1',
          name: 'mixed',
          driver: 'bridge',
          subnets: ['10.0.0.0/16'],
          gateway: null,
          internal: false,
        },
      ],
      containers: [
        ['none', null],
        ['v6', 'fd00::2'],
        ['high', '10.0.10.2'],
        ['low', '10.0.2.10'],
        ['mid', '10.0.9.255'],
      ].map(([name, ip]) => ({
        id: `c-${name}`,
        name: name ?? '',
        state: 'running',
        networks: [{ networkId: 'n1', ip: ip ?? null, aliases: [] }],
        ports: [],
      })),
      reservations: [],
    };
    const memberNames = networkDocument('h', input, GENERATED_AT)
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| Container'))
      .slice(-5)
      .map((line) => line.split(' | ')[0]);
    expect(memberNames).toEqual(['| low', '| mid', '| high', '| v6', '| none']);
  });

  it('counts usable addresses across IPv4 subnets, ignoring duplicates and strangers', () => {
    const input: TopologyInput = {
      networks: [
        {
          id: 'n1',
          name: 'multi',
          driver: 'bridge',
          subnets: ['10.1.0.0/29', '10.2.0.0/29'],
          gateway: '10.1.0.1',
          internal: false,
        },
      ],
      containers: [
        {
          id: 'c1',
          name: 'one',
          state: 'running',
          networks: [{ networkId: 'n1', ip: '10.1.0.2', aliases: [] }],
          ports: [],
        },
      ],
      reservations: [
        { networkId: 'n1', ip: '10.1.0.2', purpose: 'same as the member' },
        { networkId: 'n1', ip: '10.2.0.6', purpose: 'second subnet' },
        { networkId: 'n1', ip: '10.3.0.1', purpose: 'outside both' },
      ],
    };
    // Each /29 has 5 usable; 10.1.0.2 counted once, 10.2.0.6 once, 10.3.0.1 not at all.
    expect(networkDocument('h', input, GENERATED_AT)).toContain(
      '| multi | bridge | 10.1.0.0/29, 10.2.0.0/29 | 10.1.0.1 | no | 1 | 8 |',
    );
  });
});
