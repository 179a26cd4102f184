import type { HardwareProfile } from '@berth/contract';
import type { EngineHost } from '../../docker/engine-hosts.js';
import { classifyHardware } from './hardware-profile.js';

/**
 * Each host's hardware profile, asked of the engine once and kept: CPUs, memory and board do
 * not change while Berth runs, and list routes (networks) and creates should not pay an engine
 * call each time. The board model (Raspberry Pi) is read for engines on this machine only.
 */
export class HostHardware {
  // Keyed by the host itself: a host changed or removed is another object, its profile asked anew.
  private readonly known = new WeakMap<EngineHost, Promise<HardwareProfile>>();
  private readonly profiles = new WeakMap<EngineHost, HardwareProfile>();

  constructor(private readonly readLocalModel: () => Promise<string | null>) {}

  profile(host: EngineHost): Promise<HardwareProfile> {
    let profile = this.known.get(host);
    if (!profile) {
      profile = this.read(host);
      this.known.set(host, profile);
      // A failed read (engine down) is not remembered.
      profile.then(
        (read) => this.profiles.set(host, read),
        () => this.known.delete(host),
      );
    }
    return profile;
  }

  /** The profile once it was read, else null: for answers that must not wait for an engine. */
  cached(host: EngineHost): HardwareProfile | null {
    return this.profiles.get(host) ?? null;
  }

  /** Starts reading the profile in the background, when it is not known or being read. */
  warm(host: EngineHost): void {
    // The outcome lands in `cached`; a failure is retried by the next warm or profile call.
    if (!this.known.has(host)) this.profile(host).catch(() => undefined);
  }

  private async read(host: EngineHost): Promise<HardwareProfile> {
    const [info, model] = await Promise.all([
      host.client.info(),
      host.socketPath !== null ? this.readLocalModel() : Promise.resolve(null),
    ]);
    return classifyHardware({
      cpus: info.NCPU,
      memoryBytes: info.MemTotal,
      arch: info.Architecture,
      model,
    });
  }
}
