import { formatSize } from '@berth/contract';
import { csvRecord, keyValues, repeated } from './docker-run-format.js';
import type {
  RawContainerConfig,
  RawHostConfig,
  RawImageInspect,
  RawMount,
} from '../../../docker/engine-types.js';

/** The `docker run` flags for volumes, binds, mounts, tmpfs and the storage driver. */

function mountFields(mount: RawMount): string[] {
  const fields = [`type=${mount.Type}`];
  if (mount.Source) fields.push(`source=${mount.Source}`);
  fields.push(`target=${mount.Target}`);
  if (mount.ReadOnly) fields.push('readonly');
  if (mount.Consistency && mount.Consistency !== 'default') {
    fields.push(`consistency=${mount.Consistency}`);
  }
  const bind = mount.BindOptions;
  if (bind?.Propagation) fields.push(`bind-propagation=${bind.Propagation}`);
  if (bind?.NonRecursive) fields.push('bind-nonrecursive');
  const volume = mount.VolumeOptions;
  if (volume?.NoCopy) fields.push('volume-nocopy');
  for (const [key, value] of Object.entries(volume?.Labels ?? {})) {
    fields.push(`volume-label=${key}=${value}`);
  }
  if (volume?.DriverConfig?.Name) fields.push(`volume-driver=${volume.DriverConfig.Name}`);
  for (const [key, value] of Object.entries(volume?.DriverConfig?.Options ?? {})) {
    fields.push(`volume-opt=${key}=${value}`);
  }
  const tmpfs = mount.TmpfsOptions;
  if (tmpfs?.SizeBytes) fields.push(`tmpfs-size=${formatSize(tmpfs.SizeBytes)}`);
  // docker reads tmpfs-mode as octal; the engine reports it as a plain number.
  if (tmpfs?.Mode) fields.push(`tmpfs-mode=${tmpfs.Mode.toString(8)}`);
  return fields;
}

export function storageFlags(
  config: RawContainerConfig,
  host: RawHostConfig,
  image: RawImageInspect | undefined,
): string[] {
  const out = repeated('--volume', host.Binds);
  // `--volume /path` makes an anonymous volume, kept in Config.Volumes with the image's own.
  const imageVolumes = new Set(Object.keys(image?.Config.Volumes ?? {}));
  const anonymous = Object.keys(config.Volumes ?? {}).filter((path) => !imageVolumes.has(path));
  out.push(...repeated('--volume', anonymous));
  for (const mount of host.Mounts ?? []) out.push('--mount', csvRecord(mountFields(mount)));
  for (const [path, options] of Object.entries(host.Tmpfs ?? {})) {
    out.push('--tmpfs', options === '' ? path : `${path}:${options}`);
  }
  out.push(...repeated('--volumes-from', host.VolumesFrom));
  if (host.VolumeDriver) out.push('--volume-driver', host.VolumeDriver);
  out.push(...keyValues('--storage-opt', host.StorageOpt));
  return out;
}
