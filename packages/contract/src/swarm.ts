import { z } from 'zod';
import { HostParams } from './host-id.js';
import { Labels } from './labels.js';

/** Swarm mode of one engine as its own `/info` tells: inactive, pending, active, error, locked. */
export const SwarmState = z.enum(['inactive', 'pending', 'active', 'error', 'locked']);
export type SwarmState = z.infer<typeof SwarmState>;

export const NodeRole = z.enum(['worker', 'manager']);
export type NodeRole = z.infer<typeof NodeRole>;
export const NodeAvailability = z.enum(['active', 'pause', 'drain']);
export type NodeAvailability = z.infer<typeof NodeAvailability>;

/** What a host's engine is in its swarm: on the hosts list, and kept current from its events. */
export const HostSwarm = z
  .object({
    state: SwarmState,
    manager: z.boolean().describe('This engine is a manager: it answers the swarm and node routes'),
    clusterId: z.string().nullable().describe("The swarm's ID (known on managers only)"),
    nodeId: z.string().nullable(),
    role: NodeRole.nullable(),
  })
  .meta({ id: 'HostSwarm' });
export type HostSwarm = z.infer<typeof HostSwarm>;

export const SwarmQuorum = z.object({
  managers: z.number().int(),
  reachable: z.number().int().describe('Managers the raft sees as reachable'),
  needed: z.number().int().describe('A majority of the managers: what keeps the swarm writable'),
  canLose: z.number().int().describe('How many more managers may be lost before quorum is lost'),
  warning: z
    .string()
    .nullable()
    .describe('Set when losing one more manager would lose quorum (or it is lost)'),
});
export type SwarmQuorum = z.infer<typeof SwarmQuorum>;

/** A host's swarm: its membership, and on a manager the cluster, counts and quorum. Never its join tokens. */
export const SwarmView = z
  .object({
    host: z.string(),
    state: SwarmState,
    error: z.string().nullable(),
    manager: z.boolean(),
    nodeId: z.string().nullable(),
    nodeAddr: z.string().nullable(),
    role: NodeRole.nullable(),
    remoteManagers: z.array(z.object({ nodeId: z.string(), addr: z.string() })),
    cluster: z
      .object({
        id: z.string(),
        name: z.string(),
        createdAt: z.string(),
        updatedAt: z.string(),
        defaultAddrPool: z.array(z.string()),
        subnetSize: z.number().int().nullable(),
        dataPathPort: z.number().int().nullable(),
      })
      .nullable()
      .describe('On managers only'),
    nodes: z.number().int().nullable(),
    managers: z.number().int().nullable(),
    quorum: SwarmQuorum.nullable(),
  })
  .meta({ id: 'SwarmView' });
export type SwarmView = z.infer<typeof SwarmView>;

const HostPort = z
  .string()
  .min(1)
  .max(261)
  .regex(
    /^(\[[0-9a-fA-F:]+\]|[a-zA-Z0-9][a-zA-Z0-9.-]*)(:\d{1,5})?$/,
    'an address or interface, with an optional :port (10.0.0.1:2377, eth0)',
  );
const Cidr = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 range like 10.20.0.0/16');

export const SwarmInit = z
  .strictObject({
    advertiseAddr: HostPort.describe('The address other nodes reach this manager at'),
    listenAddr: HostPort.default('0.0.0.0:2377'),
    defaultAddrPool: z
      .array(Cidr)
      .min(1)
      .max(16)
      .optional()
      .describe('Ranges overlay networks take their subnets from'),
    subnetSize: z.number().int().min(16).max(28).optional(),
  })
  .meta({ id: 'SwarmInit' });
export type SwarmInit = z.infer<typeof SwarmInit>;

const JoinToken = z
  .string()
  .regex(/^SWMTKN-1-[a-z0-9]+-[a-z0-9]+$/, 'a join token: SWMTKN-1-…')
  .max(200);

export const SwarmJoin = z
  .strictObject({
    remoteAddrs: z.array(HostPort).min(1).max(7).describe('Managers of the swarm, host:port'),
    joinToken: JoinToken,
    advertiseAddr: HostPort.optional(),
    listenAddr: HostPort.default('0.0.0.0:2377'),
  })
  .meta({ id: 'SwarmJoin' });
export type SwarmJoin = z.infer<typeof SwarmJoin>;

export const SwarmLeave = z
  .strictObject({
    force: z
      .boolean()
      .describe('Needed to leave as a manager: the last one takes the whole swarm with it'),
  })
  .meta({ id: 'SwarmLeave' });

export const SwarmChanged = z.object({ swarm: SwarmView, cli: z.string() });
export type SwarmChanged = z.infer<typeof SwarmChanged>;

export const JoinTokens = z
  .object({
    worker: z.string(),
    manager: z.string(),
    managerAddrs: z.array(z.string()).describe('Where a joining node reaches the managers'),
    commands: z.object({ worker: z.string(), manager: z.string() }),
  })
  .meta({ id: 'JoinTokens' });
export type JoinTokens = z.infer<typeof JoinTokens>;

export const JoinTokenRotate = z.strictObject({ role: NodeRole });
export const JoinTokensRotated = z.object({ tokens: JoinTokens, cli: z.string() });

export const NodeParams = HostParams.extend({
  id: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'a node id or hostname')
    .describe('Node ID, ID prefix or hostname'),
});

export const SwarmNode = z
  .object({
    id: z.string(),
    version: z.number().int().describe('Send it back with a change: a stale one is refused'),
    hostname: z.string(),
    role: NodeRole,
    availability: NodeAvailability,
    status: z.string().describe('ready, down, disconnected or unknown'),
    message: z.string().nullable(),
    addr: z.string(),
    leader: z.boolean(),
    reachability: z.string().nullable().describe('Managers: reachable, unreachable or unknown'),
    managerAddr: z.string().nullable(),
    engineVersion: z.string(),
    platform: z.object({ os: z.string(), architecture: z.string() }),
    resources: z.object({ nanoCpus: z.number(), memoryBytes: z.number() }),
    labels: z.record(z.string(), z.string()),
    engineLabels: z.record(z.string(), z.string()),
    tasksRunning: z.number().int().describe('Tasks running on the node'),
    self: z.boolean().describe('The engine this host reaches'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SwarmNode' });
export type SwarmNode = z.infer<typeof SwarmNode>;

export const NodeList = z.object({ nodes: z.array(SwarmNode) });
export type NodeList = z.infer<typeof NodeList>;

export const NodeDetail = SwarmNode.extend({ inspect: z.record(z.string(), z.unknown()) });

export const NodeUpdate = z
  .strictObject({
    version: z.number().int().min(0).describe("The node's version as read: a stale one is a 409"),
    role: NodeRole.optional(),
    availability: NodeAvailability.optional(),
    labels: Labels.optional().describe('The whole set of node labels'),
  })
  .refine((v) => v.role ?? v.availability ?? v.labels, {
    message: 'nothing to change: give role, availability or labels',
    path: ['role'],
  })
  .meta({ id: 'NodeUpdate' });
export type NodeUpdate = z.infer<typeof NodeUpdate>;

export const NodeChanged = z.object({ node: SwarmNode, cli: z.string() });
export type NodeChanged = z.infer<typeof NodeChanged>;

export const NodeRemoveQuery = z.strictObject({
  force: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Remove a node that is not down (it keeps running as a swarm of its own)'),
});

/** One swarm however many of its managers are hosts: the hosts that reach it and its summary. */
export const SwarmCluster = z
  .object({
    clusterId: z.string(),
    name: z.string(),
    hosts: z.array(z.object({ host: z.string(), nodeId: z.string(), role: NodeRole })),
    nodes: z.number().int().nullable(),
    managers: z.number().int().nullable(),
    quorum: SwarmQuorum.nullable(),
  })
  .meta({ id: 'SwarmCluster' });
export type SwarmCluster = z.infer<typeof SwarmCluster>;

export const SwarmClusterList = z.object({ swarms: z.array(SwarmCluster) });
export type SwarmClusterList = z.infer<typeof SwarmClusterList>;
