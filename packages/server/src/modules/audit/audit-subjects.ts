import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { AuditSubjects } from '../../http/audit-sink.js';

const SHORT_ID = 12;

function labelled(host: string, name: string, id: string): string {
  return `${host}/${name} (${id.slice(0, SHORT_ID)})`;
}

/**
 * Names the container or network a route acts on next to its id ("local/web (3f2a1b2c3d4e)"),
 * from the engine state, whichever of the two the caller gave.
 */
export class EngineAuditSubjects implements AuditSubjects {
  constructor(private readonly hosts: EngineHosts) {}

  label(host: string, kind: string, ref: string): string | null {
    const state = this.hosts.get(host)?.state;
    if (!state) return null;
    const matches = (id: string, name: string): boolean =>
      id === ref || name === ref || (ref.length >= SHORT_ID && id.startsWith(ref));
    if (kind === 'containers') {
      const found = state.containers().find((c) => matches(c.id, c.name));
      return found ? labelled(host, found.name, found.id) : null;
    }
    if (kind === 'networks') {
      const found = state.networks().find((n) => matches(n.Id, n.Name));
      return found ? labelled(host, found.Name, found.Id) : null;
    }
    return null;
  }
}
