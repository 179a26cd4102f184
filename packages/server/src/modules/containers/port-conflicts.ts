import type { ContainerSummary, PortConflict, PortSpec } from '@berth/contract';

const ANY = new Set(['', '0.0.0.0', '::']);

function overlaps(a: string, b: string): boolean {
  return ANY.has(a) || ANY.has(b) || a === b;
}

/** Published host ports the spec wants that another container on the host already holds. */
export function findPortConflicts(
  wanted: PortSpec[],
  containers: Pick<ContainerSummary, 'id' | 'name' | 'state' | 'ports'>[],
  exceptId?: string,
): PortConflict[] {
  const conflicts: PortConflict[] = [];
  for (const port of wanted) {
    if (port.hostPort === undefined) continue;
    for (const container of containers) {
      if (container.id === exceptId || container.state !== 'running') continue;
      const holder = container.ports.find(
        (p) =>
          p.publicPort === port.hostPort &&
          p.protocol === port.protocol &&
          overlaps(p.hostIp ?? '', port.hostIp ?? ''),
      );
      if (holder) {
        conflicts.push({
          port: port.hostPort,
          protocol: port.protocol,
          hostIp: port.hostIp ?? '0.0.0.0',
          container: container.name,
        });
        break;
      }
    }
  }
  return conflicts;
}
