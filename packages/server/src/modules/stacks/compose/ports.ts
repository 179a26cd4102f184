import type { ComposePort } from '@berth/contract';
import { asText, type Json } from './yaml-load.js';

export class PortSyntaxError extends Error {}

const RANGE = /^(\d+)(?:-(\d+))?$/;

function range(text: string, what: string): [number, number] {
  const match = RANGE.exec(text);
  if (!match?.[1]) throw new PortSyntaxError(`"${text}" is not a ${what} port or range`);
  const start = Number(match[1]);
  const end = match[2] ? Number(match[2]) : start;
  if (start < 1 || end > 65535 || end < start) {
    throw new PortSyntaxError(`${what} port "${text}" is out of range 1-65535`);
  }
  return [start, end];
}

function protocolOf(text: string): ComposePort['protocol'] {
  if (text === 'tcp' || text === 'udp') return text;
  throw new PortSyntaxError(`protocol "${text}" is not tcp or udp`);
}

/**
 * A short-syntax port, `[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]`, as long entries: a container
 * range gives one entry per port (paired with the host range when there is one).
 */
export function parseShortPort(spec: string | number): ComposePort[] {
  const text = asText(spec).trim();
  const slash = text.lastIndexOf('/');
  const protocol = slash >= 0 ? protocolOf(text.slice(slash + 1)) : 'tcp';
  const rest = slash >= 0 ? text.slice(0, slash) : text;
  let hostIp: string | undefined;
  let hostAndTarget = rest;
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (bracket?.[1] !== undefined && bracket[2] !== undefined) {
    hostIp = bracket[1];
    hostAndTarget = bracket[2];
  } else {
    const parts = rest.split(':');
    if (parts.length > 3) {
      // An IPv6 address without brackets: all but the last two parts.
      hostIp = parts.slice(0, -2).join(':');
      hostAndTarget = parts.slice(-2).join(':');
    } else if (parts.length === 3) {
      hostIp = parts[0];
      hostAndTarget = parts.slice(1).join(':');
    }
  }
  const pieces = hostAndTarget.split(':');
  const targetText = pieces[pieces.length - 1] ?? '';
  const publishedText = pieces.length === 2 ? pieces[0] : undefined;
  const [tStart, tEnd] = range(targetText, 'container');
  const published = publishedText ? range(publishedText, 'host') : undefined;
  const base = {
    mode: 'ingress' as const,
    protocol,
    ...(hostIp ? { host_ip: hostIp } : {}),
  };
  if (tStart === tEnd) {
    return [{ ...base, target: tStart, ...(publishedText ? { published: publishedText } : {}) }];
  }
  if (published && published[1] - published[0] !== tEnd - tStart) {
    throw new PortSyntaxError(`"${text}": the host range and the container range differ in size`);
  }
  const out: ComposePort[] = [];
  for (let port = tStart; port <= tEnd; port += 1) {
    const host = published ? asText(published[0] + port - tStart) : undefined;
    out.push({ ...base, target: port, ...(host ? { published: host } : {}) });
  }
  return out;
}

/** A long-syntax port entry (already schema-checked). */
export function parseLongPort(entry: Record<string, Json>): ComposePort {
  const target = Number(entry.target);
  if (!Number.isInteger(target) || target < 1 || target > 65535) {
    throw new PortSyntaxError(`target "${asText(entry.target)}" is not a port`);
  }
  const port: ComposePort = {
    target,
    protocol: entry.protocol === undefined ? 'tcp' : protocolOf(asText(entry.protocol)),
  };
  if (entry.published !== undefined && entry.published !== null) {
    const published = asText(entry.published);
    range(published, 'host');
    port.published = published;
  }
  if (typeof entry.host_ip === 'string') port.host_ip = entry.host_ip;
  if (entry.mode !== undefined) {
    if (entry.mode !== 'host' && entry.mode !== 'ingress') {
      throw new PortSyntaxError(`mode "${asText(entry.mode)}" is not host or ingress`);
    }
    port.mode = entry.mode;
  }
  if (typeof entry.name === 'string') port.name = entry.name;
  return port;
}

export function parsePort(entry: Json): ComposePort[] {
  if (typeof entry === 'string' || typeof entry === 'number') return parseShortPort(entry);
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry))
    return [parseLongPort(entry)];
  throw new PortSyntaxError('a port must be a string, a number or a mapping');
}

/** What identifies a port when an override file merges its ports: target, protocol and host IP. */
export function portKey(entry: Json): string {
  try {
    const first = parsePort(entry)[0];
    if (first) return `${first.host_ip ?? ''}|${first.target}/${first.protocol}`;
  } catch (error) {
    if (!(error instanceof PortSyntaxError)) throw error;
  }
  return JSON.stringify(entry);
}
