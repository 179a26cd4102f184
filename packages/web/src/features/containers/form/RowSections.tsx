import { useNetworks } from '../../../api/queries.js';
import { useCurrentHost } from '../../../app/host-paths.js';
import { Field } from '../../../components/ui.js';
import {
  newDeviceRow,
  newMountRow,
  newNetworkRow,
  newPortRow,
  type DeviceRow,
  type MountRow,
  type NetworkRow,
  type PortRow,
} from './container-draft.js';
import { Rows, Select } from './FormFields.js';

/** The form's list parts: one row per port, mount, network attachment or device. */
type Errors = (key: string) => string | undefined;

export function PortRows({
  rows,
  onChange,
  e,
}: {
  rows: PortRow[];
  onChange: (rows: PortRow[]) => void;
  e: Errors;
}) {
  return (
    <Rows
      noun="Port"
      rows={rows}
      onChange={onChange}
      create={newPortRow}
      error={e('ports')}
      render={(p, set, i) => (
        <>
          <Field
            label="Host port"
            inputMode="numeric"
            value={p.hostPort}
            onChange={(ev) => set({ hostPort: ev.target.value })}
            error={e(`ports.${i}.hostPort`)}
            placeholder="auto"
          />
          <Field
            label="Container port"
            inputMode="numeric"
            value={p.containerPort}
            onChange={(ev) => set({ containerPort: ev.target.value })}
            error={e(`ports.${i}.containerPort`)}
          />
          <Select
            label="Protocol"
            value={p.protocol}
            options={['tcp', 'udp'] as const}
            onChange={(protocol) => set({ protocol })}
          />
          <Field
            label="Host address"
            value={p.hostIp}
            onChange={(ev) => set({ hostIp: ev.target.value })}
            error={e(`ports.${i}.hostIp`)}
            placeholder="all"
          />
        </>
      )}
    />
  );
}

export function MountRows({
  rows,
  onChange,
  e,
}: {
  rows: MountRow[];
  onChange: (rows: MountRow[]) => void;
  e: Errors;
}) {
  return (
    <Rows
      noun="Mount"
      rows={rows}
      onChange={onChange}
      create={newMountRow}
      render={(m, set, i) => (
        <>
          <Select
            label="Type"
            value={m.type}
            options={[
              { value: 'volume', label: 'named volume' },
              { value: 'bind', label: 'host folder' },
              { value: 'tmpfs', label: 'memory (tmpfs)' },
            ]}
            onChange={(type) => set({ type })}
          />
          {m.type !== 'tmpfs' && (
            <Field
              label={m.type === 'bind' ? 'Host path' : 'Volume name'}
              value={m.source}
              onChange={(ev) => set({ source: ev.target.value })}
              error={e(`mounts.${i}.source`)}
              placeholder={m.type === 'bind' ? '/srv/data' : 'new anonymous volume'}
            />
          )}
          <Field
            label="Path in container"
            value={m.target}
            onChange={(ev) => set({ target: ev.target.value })}
            error={e(`mounts.${i}.target`)}
          />
          {m.type === 'tmpfs' ? (
            <Field
              label="Size"
              value={m.size}
              onChange={(ev) => set({ size: ev.target.value })}
              placeholder="64m"
              error={e(`mounts.${i}.sizeBytes`)}
            />
          ) : (
            <label className="toggle">
              <input
                type="checkbox"
                checked={m.readOnly}
                onChange={(ev) => set({ readOnly: ev.target.checked })}
              />{' '}
              Read-only
            </label>
          )}
        </>
      )}
    />
  );
}

export function NetworkRows({
  rows,
  onChange,
  e,
}: {
  rows: NetworkRow[];
  onChange: (rows: NetworkRow[]) => void;
  e: Errors;
}) {
  const host = useCurrentHost();
  const networks = useNetworks(host);
  return (
    <Rows
      noun="Network"
      rows={rows}
      onChange={onChange}
      create={newNetworkRow}
      render={(n, set, i) => {
        const chosen = networks.data?.find((x) => x.name === n.name);
        return (
          <>
            <Select
              label="Network"
              value={n.name}
              options={[
                { value: '', label: 'choose…' },
                ...(networks.data ?? []).map((x) => ({
                  value: x.name,
                  label: `${x.name} (${x.driver})`,
                })),
              ]}
              onChange={(name) => set({ name, reservation: '' })}
              error={e(`networks.${i}.name`)}
            />
            <Field
              label="Fixed IPv4 address"
              value={n.ipv4Address}
              onChange={(ev) => set({ ipv4Address: ev.target.value })}
              error={e(`networks.${i}.ipv4Address`)}
              placeholder="automatic"
            />
            {chosen && chosen.reservations.length > 0 && (
              <Select
                label="Reserved address"
                value={n.reservation}
                options={[
                  { value: '', label: 'none' },
                  ...chosen.reservations.map((r) => ({
                    value: r.purpose,
                    label: `${r.purpose} (${r.ip})`,
                  })),
                ]}
                onChange={(reservation) => set({ reservation })}
                error={e(`networks.${i}.reservation`)}
              />
            )}
            <Field
              label="Aliases"
              value={n.aliases}
              onChange={(ev) => set({ aliases: ev.target.value })}
              error={e(`networks.${i}.aliases`)}
              placeholder="db, cache"
            />
          </>
        );
      }}
    />
  );
}

export function DeviceRows({
  rows,
  onChange,
  e,
}: {
  rows: DeviceRow[];
  onChange: (rows: DeviceRow[]) => void;
  e: Errors;
}) {
  return (
    <Rows
      noun="Device"
      rows={rows}
      onChange={onChange}
      create={newDeviceRow}
      render={(v, set, i) => (
        <>
          <Field
            label="Host device"
            value={v.hostPath}
            onChange={(ev) => set({ hostPath: ev.target.value })}
            error={e(`devices.${i}.hostPath`)}
            placeholder="/dev/ttyUSB0"
          />
          <Field
            label="Device in container"
            value={v.containerPath}
            onChange={(ev) => set({ containerPath: ev.target.value })}
            error={e(`devices.${i}.containerPath`)}
            placeholder="same path"
          />
          <Field
            label="Permissions"
            value={v.permissions}
            onChange={(ev) => set({ permissions: ev.target.value })}
            error={e(`devices.${i}.permissions`)}
          />
        </>
      )}
    />
  );
}
