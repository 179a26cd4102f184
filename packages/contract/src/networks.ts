import { z } from 'zod';
import { StaleField } from './stale.js';
import { Labels } from './labels.js';
import { PruneLabel } from './images.js';

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const Cidr = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 range like 172.20.0.0/24');
const Ipv4 = z.ipv4({ error: 'an IPv4 address' });

export const NetworkMember = z.object({
  containerId: z.string(),
  name: z.string(),
  ipv4: z.string().nullable(),
});

export const NetworkSubnet = z.object({
  subnet: z.string(),
  gateway: z.string().nullable(),
  ipRange: z.string().nullable(),
});

export const NetworkSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    driver: z.string(),
    scope: z.string(),
    internal: z.boolean(),
    attachable: z.boolean(),
    builtIn: z.boolean().describe('bridge, host and none: the engine owns them'),
    created: z.string(),
    subnets: z.array(NetworkSubnet),
    labels: z.record(z.string(), z.string()),
    members: z.array(NetworkMember),
    reservations: z.array(z.object({ ip: z.string(), purpose: z.string() })),
    oversized: z
      .object({
        suggestedPrefix: z.number().int(),
        reason: z.string().describe('Why, in a sentence a user can act on'),
      })
      .nullable()
      .describe(
        "The range is far larger than it could need: its use or, if more, the host profile's recommended container count",
      ),
    services: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .optional()
      .describe('Swarm services attached (swarm-scoped networks of a manager only)'),
  })
  .meta({ id: 'NetworkSummary' });
export type NetworkSummary = z.infer<typeof NetworkSummary>;
export const NetworkList = z.object({ networks: z.array(NetworkSummary), stale: StaleField });
export type NetworkList = z.infer<typeof NetworkList>;

export const NetworkParams = z.object({
  host: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63'),
  id: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'an id or a name: letters, digits and _ . - only')
    .describe('Network id, id prefix, or name'),
});

export const NetworkCreate = z
  .strictObject({
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'letters, digits and _ . - only'),
    driver: z.enum(['bridge', 'macvlan', 'ipvlan', 'overlay']).default('bridge'),
    subnet: Cidr.optional().describe(
      'Omit to let Berth pick a free range sized for expectedContainers',
    ),
    gateway: Ipv4.optional(),
    ipRange: Cidr.optional(),
    auxAddresses: z.record(z.string().min(1).max(64), Ipv4).optional(),
    expectedContainers: z.number().int().min(1).max(65_000).optional(),
    internal: z.boolean().default(false),
    attachable: z.boolean().default(false),
    encrypted: z
      .boolean()
      .default(false)
      .describe('Overlay only: encrypt the traffic between nodes (IPsec)'),
    labels: Labels.optional(),
    options: z
      .record(z.string().min(1).max(256), z.string().max(4096))
      .optional()
      .describe('Driver options, e.g. parent for macvlan'),
  })
  .meta({ id: 'NetworkCreate' });
export type NetworkCreate = z.infer<typeof NetworkCreate>;

export const ConnectRequest = z
  .strictObject({
    container: z.string().min(1).max(128),
    ipv4Address: Ipv4.optional(),
    reservation: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Use the address reserved for this purpose'),
    aliases: z.array(z.string().min(1).max(128)).max(32).optional(),
  })
  .meta({ id: 'ConnectRequest' });
export type ConnectRequest = z.infer<typeof ConnectRequest>;
export const DisconnectRequest = z.strictObject({
  container: z.string().min(1).max(128),
  force: z.boolean().default(false),
});

export const ReservationCreate = z.strictObject({
  ip: Ipv4.optional().describe('Omit to take the next free address'),
  purpose: z.string().trim().min(1).max(100),
});
export const Reservation = z.object({ ip: z.string(), purpose: z.string(), createdAt: z.string() });
export const ReservationParams = NetworkParams.extend({ ip: Ipv4 });

export const SubnetSuggestionQuery = z.strictObject({
  expectedContainers: z.coerce.number().int().min(1).max(65_000),
});
export const SubnetSuggestion = z
  .object({
    subnet: z.string().nullable().describe('A free range of that size, or null when none is left'),
    prefix: z.number().int(),
    usableAddresses: z.number().int(),
    profile: z.string(),
  })
  .meta({ id: 'SubnetSuggestion' });
export type SubnetSuggestion = z.infer<typeof SubnetSuggestion>;

export const NetworkPruneRequest = z.strictObject({
  dryRun: z.boolean().default(true),
  label: PruneLabel,
});
export const NetworkListQuery = z.strictObject({ builtIn: Bool.optional() });

export const ConnectResult = z
  .object({
    ip: z.string().nullable().describe('The address the container got in the network'),
    cli: z.string(),
  })
  .meta({ id: 'ConnectResult' });
export type ConnectResult = z.infer<typeof ConnectResult>;

export const DisconnectResult = z.object({ cli: z.string() }).meta({ id: 'DisconnectResult' });
export type DisconnectResult = z.infer<typeof DisconnectResult>;

export const ReservationList = z
  .object({ reservations: z.array(Reservation) })
  .meta({ id: 'ReservationList' });
export type ReservationList = z.infer<typeof ReservationList>;

export const TopologyPort = z.object({
  containerPort: z.number().int(),
  hostPort: z.number().int().nullable(),
  protocol: z.string(),
  hostIp: z.string().nullable(),
});
export type TopologyPort = z.infer<typeof TopologyPort>;

export const TopologyNode = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('network'),
    id: z.string(),
    name: z.string(),
    driver: z.string(),
    subnets: z.array(z.string()),
    internal: z.boolean(),
  }),
  z.object({
    kind: z.literal('container'),
    id: z.string(),
    name: z.string(),
    state: z.string(),
    ports: z.array(TopologyPort),
  }),
]);
export type TopologyNode = z.infer<typeof TopologyNode>;

export const Topology = z
  .object({
    nodes: z.array(TopologyNode),
    edges: z.array(
      z.object({
        from: z.string().describe('Container id'),
        to: z.string().describe('Network id'),
        ip: z.string().nullable(),
        aliases: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'Topology' });
export type Topology = z.infer<typeof Topology>;

/** A network just created, with the `docker network create` that does the same. */
export const CreatedNetwork = NetworkSummary.extend({ cli: z.string() }).meta({
  id: 'CreatedNetwork',
});
export type CreatedNetwork = z.infer<typeof CreatedNetwork>;
/** One network, with the engine's inspect answer as it is. */
export const NetworkDetail = NetworkSummary.extend({
  inspect: z.record(z.string(), z.unknown()),
}).meta({ id: 'NetworkDetail' });
export type NetworkDetail = z.infer<typeof NetworkDetail>;
