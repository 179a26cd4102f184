import type { Topology, TopologyNode, TopologyPort } from '@berth/contract';
import { ipToInt, isIpv4, isIpv6Notation, usableAddressesLeft } from './ipv4.js';

export type { Topology, TopologyNode, TopologyPort };

export interface TopologyNetworkInput {
  id: string;
  name: string;
  driver: string;
  subnets: string[];
  gateway: string | null;
  internal: boolean;
}

export interface TopologyAttachment {
  networkId: string;
  ip: string | null;
  aliases: string[];
}

export interface TopologyContainerInput {
  id: string;
  name: string;
  state: string;
  networks: TopologyAttachment[];
  ports: TopologyPort[];
}

export interface TopologyReservation {
  networkId: string;
  ip: string;
  purpose: string;
}

export interface TopologyInput {
  networks: TopologyNetworkInput[];
  containers: TopologyContainerInput[];
  reservations: TopologyReservation[];
}

export type NetworkNode = Extract<TopologyNode, { kind: 'network' }>;
export type ContainerNode = Extract<TopologyNode, { kind: 'container' }>;
export type TopologyEdge = Topology['edges'][number];

interface Member {
  container: TopologyContainerInput;
  attachment: TopologyAttachment;
}

function byNameThenId(a: { name: string; id: string }, b: { name: string; id: string }): number {
  return a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id, 'en');
}

/** Code-point order: unlike localeCompare, the same on every machine for addresses. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The engine reports a detached or host-mode endpoint as an empty string rather than null. */
function presentIp(ip: string | null): string | null {
  return ip === null || ip === '' ? null : ip;
}

/** IPv4 in numeric order, then IPv6 by text, then no address at all. */
function compareIps(a: string | null, b: string | null): number {
  const rank = (ip: string | null): number => (ip === null ? 2 : isIpv4(ip) ? 0 : 1);
  const difference = rank(a) - rank(b);
  if (difference !== 0 || a === null || b === null) return difference;
  return isIpv4(a) ? ipToInt(a) - ipToInt(b) : byText(a, b);
}

function sortedNetworks(input: TopologyInput): TopologyNetworkInput[] {
  return [...input.networks].sort(byNameThenId);
}

/**
 * Members per network id. Attachments to a network missing from the input (listed between
 * the network and container snapshots) are dropped: they would be dangling edges, and the
 * next snapshot resolves them.
 */
function membersByNetwork(input: TopologyInput): Map<string, Member[]> {
  const members = new Map<string, Member[]>(input.networks.map((n) => [n.id, []]));
  for (const container of [...input.containers].sort(byNameThenId)) {
    for (const attachment of container.networks) {
      members.get(attachment.networkId)?.push({ container, attachment });
    }
  }
  return members;
}

export function buildTopology(input: TopologyInput): Topology {
  const networks = sortedNetworks(input);
  const rank = new Map(networks.map((network, index) => [network.id, index]));
  const containers = [...input.containers].sort(byNameThenId);
  const nodes: TopologyNode[] = [
    ...networks.map((network): NetworkNode => ({
      kind: 'network',
      id: network.id,
      name: network.name,
      driver: network.driver,
      subnets: [...network.subnets],
      internal: network.internal,
    })),
    ...containers.map((container): ContainerNode => ({
      kind: 'container',
      id: container.id,
      name: container.name,
      state: container.state,
      ports: container.ports.map((port) => ({ ...port })),
    })),
  ];
  const edges = containers.flatMap((container) =>
    container.networks
      .filter((attachment) => rank.has(attachment.networkId))
      .sort((a, b) => (rank.get(a.networkId) ?? 0) - (rank.get(b.networkId) ?? 0))
      .map((attachment): TopologyEdge => ({
        from: container.id,
        to: attachment.networkId,
        ip: presentIp(attachment.ip),
        aliases: [...attachment.aliases],
      })),
  );
  return { nodes, edges };
}

/** A pipe would end the cell and a newline the row; `<br>` keeps the line break visible. */
function cell(text: string): string {
  const escaped = text.replace(/\r\n|\r|\n/g, '<br>').replace(/\|/g, '\\|');
  return escaped === '' ? '-' : escaped;
}

/** Headings cannot hold a line break at all. */
function heading(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function table(headers: string[], rows: string[][]): string[] {
  const line = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)];
}

/** In `docker ps` style: 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp. */
function formatPort(port: TopologyPort): string {
  const hostIp = port.hostIp ?? '';
  const host = hostIp === '' ? '' : isIpv6Notation(hostIp) ? `[${hostIp}]:` : `${hostIp}:`;
  return `${host}${port.hostPort ?? ''}->${port.containerPort}/${port.protocol}`;
}

function publishedPorts(ports: TopologyPort[]): string {
  return ports
    .filter((port) => port.hostPort !== null)
    .sort(
      (a, b) =>
        a.containerPort - b.containerPort ||
        byText(a.protocol, b.protocol) ||
        (a.hostPort ?? 0) - (b.hostPort ?? 0) ||
        byText(a.hostIp ?? '', b.hostIp ?? ''),
    )
    .map(formatPort)
    .join(', ');
}

/** Free addresses across the network's IPv4 subnets, or null when it has none (host, none). */
function addressesLeft(
  network: TopologyNetworkInput,
  members: Member[],
  reservations: TopologyReservation[],
): number | null {
  const ipv4Subnets = network.subnets.filter((subnet) => !isIpv6Notation(subnet));
  if (ipv4Subnets.length === 0) return null;
  const held = [
    ...members.map((member) => presentIp(member.attachment.ip)),
    ...reservations.map((reservation) => reservation.ip),
  ].filter((ip): ip is string => ip !== null && isIpv4(ip));
  return ipv4Subnets.reduce(
    (sum, subnet) => sum + usableAddressesLeft(subnet, network.gateway, held),
    0,
  );
}

function networkSection(
  network: TopologyNetworkInput,
  members: Member[],
  reservations: TopologyReservation[],
): string[] {
  const reservationRows = [...reservations]
    .sort((a, b) => compareIps(a.ip, b.ip))
    .map((reservation) => [reservation.ip, reservation.purpose]);
  const memberRows = [...members]
    .sort((a, b) => compareIps(presentIp(a.attachment.ip), presentIp(b.attachment.ip)))
    .map(({ container, attachment }) => [
      container.name,
      presentIp(attachment.ip) ?? '',
      attachment.aliases.join(', '),
      publishedPorts(container.ports),
    ]);
  return [
    `## Network ${heading(network.name)}`,
    '',
    '### Reservations',
    '',
    ...(reservationRows.length > 0 ? table(['IP', 'Purpose'], reservationRows) : ['None.']),
    '',
    '### Members',
    '',
    ...(memberRows.length > 0
      ? table(['Container', 'IP', 'Aliases', 'Published ports'], memberRows)
      : ['None.']),
  ];
}

/**
 * A Markdown record of a host's networks: a summary table, then per network its reservations
 * and members ordered by address. Everything is sorted so that two documents of the same state
 * diff cleanly.
 */
export function networkDocument(hostName: string, input: TopologyInput, generatedAt: Date): string {
  const networks = sortedNetworks(input);
  const members = membersByNetwork(input);
  const reservations = new Map<string, TopologyReservation[]>();
  for (const reservation of input.reservations) {
    const list = reservations.get(reservation.networkId) ?? [];
    list.push(reservation);
    reservations.set(reservation.networkId, list);
  }

  const summaryRows = networks.map((network) => {
    const networkMembers = members.get(network.id) ?? [];
    const left = addressesLeft(network, networkMembers, reservations.get(network.id) ?? []);
    return [
      network.name,
      network.driver,
      network.subnets.join(', '),
      network.gateway ?? '',
      network.internal ? 'yes' : 'no',
      String(networkMembers.length),
      left === null ? '' : String(left),
    ];
  });
  const lines = [
    `# Networks on ${heading(hostName)}`,
    '',
    `Generated ${generatedAt.toISOString()}.`,
    '',
    '## Summary',
    '',
    ...(summaryRows.length > 0
      ? table(
          [
            'Network',
            'Driver',
            'Subnets',
            'Gateway',
            'Internal',
            'Members',
            'Usable addresses left',
          ],
          summaryRows,
        )
      : ['No networks.']),
  ];
  for (const network of networks) {
    lines.push(
      '',
      ...networkSection(network, members.get(network.id) ?? [], reservations.get(network.id) ?? []),
    );
  }
  return `${lines.join('\n')}\n`;
}
