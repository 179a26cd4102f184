import type { PortSpec } from '@berth/contract';
import { appendField, keyValue, type ServiceDraft, warn } from './run-draft.js';
import { badValue, csvFields, type RunFlag, unsupported } from './run-flag.js';

/** The flags of published ports, networks, DNS and /etc/hosts. */

interface Endpoint {
  aliases: string[];
  ip?: string;
}

/** Aliases and addresses given apart from --network: docker puts them on its network. */
const pending = new WeakMap<ServiceDraft, Endpoint>();

function pendingOf(draft: ServiceDraft): Endpoint {
  let endpoint = pending.get(draft);
  if (!endpoint) {
    endpoint = { aliases: [] };
    pending.set(draft, endpoint);
  }
  return endpoint;
}

function range(text: string): [number, number] | null {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) return null;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  return first >= 1 && last <= 65535 && first <= last ? [first, last] : null;
}

/**
 * `[ip:][hostPort:]containerPort[/protocol]`, each port a number or a range, the address of
 * IPv6 in brackets. Ranges of equal length become one port each, as the engine keeps them;
 * forms the create form has no field for (a host range for one port, sctp) stay as written.
 */
export function parsePublish(value: string): PortSpec[] | 'as-written' | null {
  const slash = value.lastIndexOf('/');
  const protocol = slash < 0 ? 'tcp' : value.slice(slash + 1);
  let rest = slash < 0 ? value : value.slice(0, slash);
  let hostIp = '';
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (bracket) {
    hostIp = bracket[1] ?? '';
    rest = bracket[2] ?? '';
  }
  const parts = rest.split(':');
  if (!bracket && parts.length > 3) hostIp = parts.splice(0, parts.length - 2).join(':');
  else if (!bracket && parts.length === 3) hostIp = parts.shift() ?? '';
  if (parts.length > 2 || (bracket && parts.length !== 2)) return null;
  const container = range(parts.at(-1) ?? '');
  const hostText = parts.length === 2 ? (parts[0] ?? '') : '';
  const host = hostText === '' ? null : range(hostText);
  if (!container || (hostText !== '' && !host)) return null;
  if (protocol !== 'tcp' && protocol !== 'udp') return protocol === 'sctp' ? 'as-written' : null;
  const count = container[1] - container[0];
  if (host && host[1] - host[0] !== count) return 'as-written';
  const ports: PortSpec[] = [];
  for (let offset = 0; offset <= count; offset += 1) {
    ports.push({
      containerPort: container[0] + offset,
      protocol,
      ...(host ? { hostPort: host[0] + offset } : {}),
      ...(hostIp ? { hostIp } : {}),
    });
  }
  return ports;
}

function publish(value: string, draft: ServiceDraft, flag: string): void {
  const ports = parsePublish(value);
  if (ports === null) badValue(draft, flag, value, 'a port like 8080:80, 127.0.0.1:53:53/udp');
  else if (ports === 'as-written') appendField(draft, 'ports', value);
  else draft.spec.ports = [...(draft.spec.ports ?? []), ...ports];
}

/** `--network name` or docker 25's `--network name=web,alias=a,ip=10.0.0.5`. */
function network(value: string, draft: ServiceDraft, flag: string): void {
  if (!value.includes('=')) {
    draft.spec.networks = [...(draft.spec.networks ?? []), { name: value }];
    return;
  }
  let name = '';
  const aliases: string[] = [];
  let ip: string | undefined;
  for (const field of csvFields(value)) {
    const [key, given = ''] = keyValue(field);
    if (key === 'name') name = given;
    else if (key === 'alias') aliases.push(given);
    else if (key === 'ip') ip = given;
    else warn(draft, flag, `the network option "${key}" has no compose field here; left out`);
  }
  if (name === '') return badValue(draft, flag, value, 'a network, as name=… and options');
  draft.spec.networks = [
    ...(draft.spec.networks ?? []),
    { name, ...(ip ? { ipv4Address: ip } : {}), ...(aliases.length ? { aliases } : {}) },
  ];
}

function list(key: string) {
  return (value: string, draft: ServiceDraft) => appendField(draft, key, value);
}

export const networkFlags: RunFlag[] = [
  { names: ['publish'], short: 'p', value: true, apply: publish },
  { names: ['expose'], value: true, apply: list('expose') },
  { names: ['network', 'net'], value: true, apply: network },
  {
    names: ['network-alias', 'net-alias'],
    value: true,
    apply: (value, draft) => pendingOf(draft).aliases.push(value),
  },
  {
    names: ['ip'],
    value: true,
    apply: (value, draft) => {
      pendingOf(draft).ip = value;
    },
  },
  { names: ['link'], value: true, apply: list('external_links') },
  {
    names: ['mac-address'],
    value: true,
    apply: (value, draft) => void (draft.compose.mac_address = value),
  },
  { names: ['dns'], value: true, apply: list('dns') },
  { names: ['dns-search'], value: true, apply: list('dns_search') },
  { names: ['dns-option', 'dns-opt'], value: true, apply: list('dns_opt') },
  { names: ['add-host'], value: true, apply: list('extra_hosts') },
  unsupported(
    ['publish-all'],
    false,
    'compose has no publish-all; list the ports under ports; left out',
    'P',
  ),
  unsupported(
    ['ip6'],
    true,
    'the create form has no IPv6 address; add ipv6_address by hand; left out',
  ),
  unsupported(['link-local-ip'], true, 'compose has no link-local address here; left out'),
];

/** --network-alias and --ip belong to the network --network joined (the first one). */
export function settleEndpoint(draft: ServiceDraft): void {
  const endpoint = pending.get(draft);
  if (!endpoint || (endpoint.aliases.length === 0 && endpoint.ip === undefined)) return;
  const [first, ...others] = draft.spec.networks ?? [];
  if (
    !first ||
    ['bridge', 'host', 'none'].includes(first.name) ||
    first.name.startsWith('container:')
  ) {
    const flag = endpoint.ip === undefined ? '--network-alias' : '--ip';
    warn(draft, flag, 'aliases and addresses need a user-defined --network; left out');
    return;
  }
  const aliases = [...(first.aliases ?? []), ...endpoint.aliases];
  draft.spec.networks = [
    {
      ...first,
      ...(endpoint.ip ? { ipv4Address: endpoint.ip } : {}),
      ...(aliases.length ? { aliases } : {}),
    },
    ...others,
  ];
}
