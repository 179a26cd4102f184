import type { ComposeProject } from '@berth/contract';
import { sha256, stableJson } from './compose-values.js';

type ComposeNetwork = ComposeProject['networks'][string];
type ComposeVolume = ComposeProject['volumes'][string];

const digest = (value: unknown): string => sha256(stableJson(value)).slice(0, 12);

/**
 * Short digests of what makes a network, with the engine's defaults filled in (so writing
 * `internal: false` changes nothing). Kept in the network's `io.berth.stack.fields` label, so a
 * later plan can say which of them changed.
 */
export function networkFields(network: ComposeNetwork): Record<string, string> {
  return {
    driver: digest(network.driver ?? 'bridge'),
    driver_opts: digest(network.driver_opts ?? {}),
    ipam: digest(network.ipam ?? null),
    internal: digest(network.internal ?? false),
    attachable: digest(network.attachable ?? false),
    enable_ipv6: digest(network.enable_ipv6 ?? false),
    labels: digest(network.labels ?? {}),
  };
}

/** The same for a volume: its driver, driver options and labels. */
export function volumeFields(volume: ComposeVolume): Record<string, string> {
  return {
    driver: digest(volume.driver ?? 'local'),
    driver_opts: digest(volume.driver_opts ?? {}),
    labels: digest(volume.labels ?? {}),
  };
}

/** The fields whose digests differ; none when the resource was made without digests. */
export function changedResourceFields(
  before: Record<string, string> | null,
  after: Record<string, string>,
): string[] {
  if (!before) return [];
  return Object.keys(after)
    .filter((k) => before[k] !== after[k])
    .sort();
}
