import type { EngineHealth, Health } from '@berth/contract';
import { errorMessage } from '../../core/errors.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';

export interface HealthServiceDeps {
  version: string;
  startedAt: Date;
  probeDatabase: () => Promise<void>;
  hosts: EngineHosts;
}

export class HealthService {
  constructor(private readonly deps: HealthServiceDeps) {}

  async health(): Promise<Health> {
    const [db, engines] = await Promise.all([
      this.database(),
      Promise.all(this.deps.hosts.list().map(engineHealth)),
    ]);
    return {
      status: 'ok',
      version: this.deps.version,
      uptimeS: Math.floor((Date.now() - this.deps.startedAt.getTime()) / 1000),
      db,
      engines,
    };
  }

  private async database(): Promise<Health['db']> {
    try {
      await this.deps.probeDatabase();
      return { ok: true };
    } catch (err) {
      return { ok: false, error: errorMessage(err) };
    }
  }
}

/** A reachable engine is pinged now for its latency; an unreachable one reports why. */
async function engineHealth(host: EngineHost): Promise<EngineHealth> {
  const status = host.state.status;
  const base = { host: host.id, version: status.version, apiVersion: status.apiVersion };
  if (!status.reachable) {
    return { ...base, reachable: false, latencyMs: null, error: status.error ?? 'unreachable' };
  }
  try {
    const ping = await host.client.ping(2_000);
    return { ...base, reachable: true, latencyMs: ping.latencyMs };
  } catch (err) {
    return { ...base, reachable: false, latencyMs: null, error: errorMessage(err) };
  }
}
