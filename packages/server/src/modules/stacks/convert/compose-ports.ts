import type { PortSpec } from '@berth/contract';

/**
 * Published ports in compose's short syntax, `[ip:][host:]container[/udp]`. Consecutive ports
 * with consecutive host ports are one range (`8000-8002:8000-8002`), as they were most likely
 * given; the engine and the create form keep one entry per port.
 */

interface Run {
  first: PortSpec;
  count: number;
}

function continues(run: Run, port: PortSpec): boolean {
  const { first, count } = run;
  if (first.protocol !== port.protocol || first.hostIp !== port.hostIp) return false;
  if (port.containerPort !== first.containerPort + count) return false;
  if (first.hostPort === undefined || port.hostPort === undefined)
    return first.hostPort === port.hostPort;
  return port.hostPort === first.hostPort + count;
}

function span(first: number, count: number): string {
  return count === 1 ? String(first) : `${first}-${first + count - 1}`;
}

function entry({ first, count }: Run): string {
  const container = span(first.containerPort, count);
  const target = first.protocol === 'udp' ? `${container}/udp` : container;
  const host = first.hostPort === undefined ? '' : span(first.hostPort, count);
  if (!first.hostIp) return host === '' ? target : `${host}:${target}`;
  const ip = first.hostIp.includes(':') ? `[${first.hostIp}]` : first.hostIp;
  return `${ip}:${host}:${target}`;
}

export function compactPorts(ports: readonly PortSpec[]): string[] {
  const runs: Run[] = [];
  for (const port of ports) {
    const last = runs.at(-1);
    if (last && continues(last, port)) last.count += 1;
    else runs.push({ first: port, count: 1 });
  }
  return runs.map(entry);
}
