import type { NetworkSummary } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { keys, useContainers } from '../../api/queries.js';
import { client } from '../../api/client.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Button, ErrorNotice, Field } from '../../components/ui.js';

/** Reserve addresses for a purpose, and connect or disconnect containers (with an address or a reservation). */
export function NetworkAddresses({ network }: { network: NetworkSummary }) {
  const [purpose, setPurpose] = useState('');
  const [container, setContainer] = useState('');
  const [reservation, setReservation] = useState('');
  const [cli, setCli] = useState<string | null>(null);
  const [disconnecting, setDisconnecting] = useState<NetworkSummary['members'][number] | null>(
    null,
  );
  const containers = useContainers(HOST);
  const memberIds = new Set(network.members.map((m) => m.containerId));
  const candidates = (containers.data ?? []).filter((c) => !memberIds.has(c.id));
  const pickerId = `connect-${network.id}`;
  const [error, setError] = useState<unknown>(null);
  const params = { host: HOST, id: network.id };
  const queryClient = useQueryClient();
  const attempt = async (work: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    }
    // Reservations are Berth's own: no engine event announces them.
    await queryClient.invalidateQueries({ queryKey: keys.networks(HOST) });
  };
  return (
    <details>
      <summary>Addresses and members</summary>
      <ul className="plain">
        {network.reservations.map((r) => (
          <li key={r.ip}>
            {r.ip} reserved for {r.purpose}{' '}
            <Button
              className="btn-small"
              onClick={() =>
                void attempt(() => client.networks.unreserve({ params: { ...params, ip: r.ip } }))
              }
            >
              Release
            </Button>
          </li>
        ))}
        {network.members.map((m) => (
          <li key={m.containerId}>
            {m.name} {m.ipv4}{' '}
            <Button
              className="btn-small"
              aria-label={`Disconnect ${m.name} from ${network.name}`}
              onClick={() => setDisconnecting(m)}
            >
              Disconnect
            </Button>
          </li>
        ))}
      </ul>
      <div className="toolbar">
        <Field
          label="Reserve for (purpose)"
          value={purpose}
          onChange={(e) => setPurpose(e.target.value)}
        />
        <Button
          onClick={() => void attempt(() => client.networks.reserve({ params, body: { purpose } }))}
        >
          Reserve next free address
        </Button>
      </div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={pickerId}>Container to connect</label>
          <select id={pickerId} value={container} onChange={(e) => setContainer(e.target.value)}>
            <option value="">
              {candidates.length === 0 ? 'Every container is a member' : 'Choose a container…'}
            </option>
            {candidates.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.state})
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Use reservation (optional)"
          value={reservation}
          onChange={(e) => setReservation(e.target.value)}
        />
        <Button
          disabled={container === ''}
          onClick={() =>
            void attempt(async () => {
              setCli(
                (
                  await client.networks.connect({
                    params,
                    body: { container, ...(reservation ? { reservation } : {}) },
                  })
                ).cli,
              );
              setContainer('');
            })
          }
        >
          Connect
        </Button>
      </div>
      <ErrorNotice error={error} />
      <CommandBlock command={cli} />
      <ConfirmDialog
        open={disconnecting !== null}
        title="Disconnect container?"
        confirmLabel="Disconnect"
        onCancel={() => setDisconnecting(null)}
        onConfirm={() => {
          const member = disconnecting;
          setDisconnecting(null);
          if (!member) return;
          void attempt(async () =>
            setCli(
              (
                await client.networks.disconnect({
                  params,
                  body: { container: member.containerId },
                })
              ).cli,
            ),
          );
        }}
      >
        {disconnecting && (
          <p>
            <strong>{disconnecting.name}</strong> loses its address{' '}
            {disconnecting.ipv4 ? <code>{disconnecting.ipv4}</code> : null} on{' '}
            <strong>{network.name}</strong> and can no longer reach the containers on it.
          </p>
        )}
      </ConfirmDialog>
    </details>
  );
}
