import type { EngineClient } from './engine-client.js';
import { EngineRequestError } from './engine-errors.js';
import type { RawVolume } from './engine-types.js';

const enc = encodeURIComponent;

export interface RawDiskUsage {
  Volumes?: { Name: string; UsageData?: { Size: number; RefCount: number } }[] | null;
  Images?: { Id: string; Size: number; SharedSize: number; Containers: number }[] | null;
  Containers?: { Id: string; SizeRw?: number }[] | null;
  LayersSize?: number;
  BuildCache?: { Size: number }[] | null;
}

/** Volume calls of the Engine API (and disk usage, which is where volume sizes live). */
export class VolumesApi {
  constructor(private readonly client: EngineClient) {}

  async find(name: string): Promise<RawVolume | undefined> {
    try {
      return await this.client.request<RawVolume>('GET', `/volumes/${enc(name)}`);
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  create(body: {
    Name?: string;
    Driver: string;
    DriverOpts?: Record<string, string>;
    Labels?: Record<string, string>;
  }): Promise<RawVolume> {
    return this.client.request<RawVolume>('POST', '/volumes/create', { body });
  }

  async remove(name: string, force: boolean): Promise<void> {
    await this.client.request('DELETE', `/volumes/${enc(name)}`, { query: { force } });
  }

  /** Slow on big hosts: the engine walks every volume. Only on request. */
  diskUsage(): Promise<RawDiskUsage> {
    return this.client.request<RawDiskUsage>('GET', '/system/df', { timeoutMs: 300_000 });
  }
}
