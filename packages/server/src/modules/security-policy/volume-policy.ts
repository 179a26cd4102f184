import type { HostSecurity, PolicyViolation, Role, VolumeCreate } from '@berth/contract';
import { checkContainerSpec } from './container-policy.js';

/** Filesystems whose `device` is a remote share, not a path on the host. */
const NETWORK_FILESYSTEMS = ['nfs', 'nfs4', 'cifs', 'smb3'];

/**
 * A `local` volume with `o=bind` and `device=/x` is a bind mount of /x under another name, and
 * one with a block device mounts the host's disk: both are checked as what they amount to.
 */
export function checkVolumeCreate(
  policy: HostSecurity,
  volume: VolumeCreate,
  role: Role,
  engineSockets: readonly string[] = [],
): PolicyViolation[] {
  const device = volume.options?.device;
  if (role === 'admin' || volume.driver !== 'local' || !device?.startsWith('/')) return [];
  const isBind = (volume.options?.o ?? '')
    .split(',')
    .some((o) => ['bind', 'rbind'].includes(o.trim()));
  const type = volume.options?.type ?? '';
  if (!isBind && NETWORK_FILESYSTEMS.includes(type)) return [];
  const asSpec = isBind
    ? {
        image: '',
        mounts: [{ type: 'bind' as const, source: device, target: '/', readOnly: false }],
      }
    : { image: '', devices: [{ hostPath: device, permissions: 'rwm' }] };
  return checkContainerSpec(policy, asSpec, role, { engineSockets }).map((v) => ({
    ...v,
    field: 'options.device',
  }));
}
