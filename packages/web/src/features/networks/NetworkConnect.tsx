import type { NetworkSummary } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { client } from '../../api/client.js';
import { keys, useContainers } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Button, ErrorNotice, Field } from '../../components/ui.js';

/** Connect a container of this host to the network, picked from a list, at an optional reservation. */
export function NetworkConnect({ network }: { network: NetworkSummary }) {
  const host = useCurrentHost();
  const [container, setContainer] = useState('');
  const [reservation, setReservation] = useState('');
  const [cli, setCli] = useState<string | null>(null);
  const [connected, setConnected] = useState('');
  const [error, setError] = useState<unknown>(null);
  const containers = useContainers(host);
  const memberIds = new Set(network.members.map((m) => m.containerId));
  const candidates = (containers.data ?? []).filter((c) => !memberIds.has(c.id));
  const pickerId = useId();
  const queryClient = useQueryClient();

  const connect = async (): Promise<void> => {
    setError(null);
    const name = candidates.find((c) => c.id === container)?.name ?? container;
    try {
      const done = await client.networks.connect({
        params: { host, id: network.id },
        body: { container, ...(reservation ? { reservation } : {}) },
      });
      setCli(done.cli);
      setConnected(`Connected ${name} to ${network.name}`);
      setContainer('');
      setReservation('');
    } catch (err) {
      setError(err);
    }
    // Reservations are Berth's own: no engine event announces their use.
    await queryClient.invalidateQueries({ queryKey: keys.networks(host) });
  };

  return (
    <div className="form">
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
        hint={
          network.reservations.length > 0
            ? `Reserved: ${network.reservations.map((r) => `${r.ip} (${r.purpose})`).join(', ')}`
            : undefined
        }
        onChange={(e) => setReservation(e.target.value)}
      />
      <ErrorNotice error={error} />
      {connected && (
        <p className="notice" role="status">
          {connected}
        </p>
      )}
      <CommandBlock command={cli} />
      <div className="dialog-actions">
        <Button variant="primary" disabled={container === ''} onClick={() => void connect()}>
          Connect
        </Button>
      </div>
    </div>
  );
}
