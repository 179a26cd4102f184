import type { NetworkSummary } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { keys } from '../../api/queries.js';
import { client } from '../../api/client.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Badge, Button, ErrorNotice, Field } from '../../components/ui.js';

type Member = NetworkSummary['members'][number];

/**
 * One network in full: its ranges and flags, its members (disconnect asks first), its
 * reservations (release, reserve the next free address).
 */
export function NetworkDetails({
  network,
  canWrite,
}: {
  network: NetworkSummary;
  canWrite: boolean;
}) {
  const host = useCurrentHost();
  const [purpose, setPurpose] = useState('');
  const [cli, setCli] = useState<string | null>(null);
  const [disconnecting, setDisconnecting] = useState<Member | null>(null);
  const [error, setError] = useState<unknown>(null);
  const params = { host, id: network.id };
  const queryClient = useQueryClient();
  const editable = canWrite && !network.builtIn;
  const labels = Object.entries(network.labels);
  const attempt = async (work: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    }
    // Reservations are Berth's own: no engine event announces them.
    await queryClient.invalidateQueries({ queryKey: keys.networks(host) });
  };
  return (
    <div data-testid={`network-details-${network.name}`}>
      <dl className="details">
        <dt>Driver</dt>
        <dd>
          <Badge>{network.driver}</Badge> {network.builtIn && <Badge>built-in</Badge>}{' '}
          {network.internal && <Badge tone="warn">internal</Badge>}
        </dd>
        <dt>Scope</dt>
        <dd>{network.scope}</dd>
        <dt>Ranges</dt>
        <dd>
          {network.subnets.length === 0
            ? 'no IPv4 range'
            : network.subnets.map((s) => (
                <div key={s.subnet}>
                  <code>{s.subnet}</code>
                  {s.gateway && (
                    <>
                      {' '}
                      via <code>{s.gateway}</code>
                    </>
                  )}
                </div>
              ))}
        </dd>
        {network.oversized && (
          <>
            <dt>Size</dt>
            <dd>
              <Badge tone="warn">oversized: /{network.oversized.suggestedPrefix} would do</Badge>{' '}
              <span className="muted">{network.oversized.reason}</span>
            </dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{new Date(network.created).toLocaleString()}</dd>
        {labels.length > 0 && (
          <>
            <dt>Labels</dt>
            <dd>
              {labels.map(([k, v]) => (
                <div key={k}>
                  <code>
                    {k}={v}
                  </code>
                </div>
              ))}
            </dd>
          </>
        )}
      </dl>
      <h3>Members</h3>
      {network.members.length === 0 && <p className="muted">No container is on it.</p>}
      <ul className="plain">
        {network.members.map((m) => (
          <li key={m.containerId} className="member-row">
            <Link to={hostPath(host, `containers/${m.name}`)}>{m.name}</Link>{' '}
            <code>{m.ipv4 ?? '—'}</code>{' '}
            {editable && (
              <Button
                className="btn-small"
                aria-label={`Disconnect ${m.name} from ${network.name}`}
                onClick={() => setDisconnecting(m)}
              >
                Disconnect
              </Button>
            )}
          </li>
        ))}
      </ul>
      {network.services && (
        <>
          <h3>Swarm services</h3>
          {network.services.length === 0 && <p className="muted">No service is on it.</p>}
          <ul className="plain">
            {network.services.map((svc) => (
              <li key={svc.id}>
                <Link to={hostPath(host, `services/${svc.name}`)}>{svc.name}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Reserved addresses</h3>
      {network.reservations.length === 0 && <p className="muted">None.</p>}
      <ul className="plain">
        {network.reservations.map((r) => (
          <li key={r.ip}>
            {r.ip} reserved for {r.purpose}{' '}
            {editable && (
              <Button
                className="btn-small"
                onClick={() =>
                  void attempt(() => client.networks.unreserve({ params: { ...params, ip: r.ip } }))
                }
              >
                Release
              </Button>
            )}
          </li>
        ))}
      </ul>
      {editable && (
        <div className="row-fields">
          <Field
            label="Reserve for (purpose)"
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
          />
          <Button
            onClick={() =>
              void attempt(() => client.networks.reserve({ params, body: { purpose } }))
            }
          >
            Reserve next free address
          </Button>
        </div>
      )}
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
    </div>
  );
}
