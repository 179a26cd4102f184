import type { SwarmStackRemoveResult } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { client } from '../../api/client.js';
import { useMe } from '../../api/queries.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Badge, Button, countOf, ErrorNotice, Page } from '../../components/ui.js';
import { swarmStackKeys, useSwarmStack } from './swarm-stack-queries.js';
import '../../styles/resource-list.css';
import './swarm-stacks.css';

const UPDATE_TONES: Record<string, 'good' | 'warn' | 'bad' | 'info'> = {
  completed: 'good',
  updating: 'info',
  paused: 'warn',
  rollback_started: 'warn',
  rollback_paused: 'bad',
  rollback_completed: 'warn',
};

/** One swarm stack (`docker stack services`): services with replicas and update state, its networks, secrets, configs. */
export default function SwarmStackPage() {
  const host = useCurrentHost();
  const { name = '' } = useParams();
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const queryClient = useQueryClient();
  const detail = useSwarmStack(host, name);
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [removed, setRemoved] = useState<SwarmStackRemoveResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const stack = detail.data;

  const remove = async (): Promise<void> => {
    setConfirming(false);
    setRemoving(true);
    setError(null);
    try {
      setRemoved(await client.swarmStacks.remove({ params: { host, name } }));
    } catch (err) {
      setError(err);
    } finally {
      setRemoving(false);
      void queryClient.invalidateQueries({ queryKey: swarmStackKeys.list(host) });
    }
  };

  if (removed)
    return (
      <Page title={name}>
        <div
          className={`notice${removed.ok ? '' : ' notice-bad'}`}
          role="status"
          data-testid="swarm-stack-removed"
        >
          {removed.ok
            ? `Removed ${name}: ${countOf(removed.results.length, 'object')}.`
            : `Some of ${name} was not removed: ${removed.results
                .filter((r) => r.status === 'failed')
                .map((r) => `${r.kind} ${r.name}: ${r.message ?? 'failed'}`)
                .join('; ')}`}
        </div>
        <CommandBlock command={removed.cli} />
        <p>
          <Link to={hostPath(host, 'swarm-stacks')}>Back to the swarm stacks</Link>
        </p>
      </Page>
    );
  return (
    <Page
      title={name}
      actions={
        canWrite &&
        stack && (
          <Button variant="danger" disabled={removing} onClick={() => setConfirming(true)}>
            {removing ? 'Removing…' : 'Remove'}
          </Button>
        )
      }
    >
      <ErrorNotice error={detail.error ?? error} />
      {!stack && !detail.error && <p className="loading">Loading…</p>}
      {stack && (
        <>
          <h2 className="section-heading">Services</h2>
          <div className="list-scroll">
            <table className="list" aria-label="Services" data-testid="swarm-stack-services">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Replicas</th>
                  <th scope="col">Update</th>
                  <th scope="col" className="c-wide">
                    Image
                  </th>
                  <th scope="col" className="c-wide">
                    Ports
                  </th>
                </tr>
              </thead>
              <tbody>
                {stack.services.map((s) => (
                  <tr key={s.id} data-testid="swarm-service-row" data-name={s.name}>
                    <td>
                      <strong>{s.service}</strong>
                      <div className="muted">{s.name}</div>
                    </td>
                    <td>{s.mode}</td>
                    <td data-testid="swarm-service-replicas">
                      <Badge tone={s.running === s.replicas ? 'good' : 'warn'}>
                        {s.running}/{s.replicas}
                      </Badge>
                    </td>
                    <td>
                      {s.updateState ? (
                        <span title={s.updateMessage ?? undefined}>
                          <Badge tone={UPDATE_TONES[s.updateState] ?? 'info'}>
                            {s.updateState.replace('_', ' ')}
                          </Badge>
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="c-wide">
                      <code>{s.image}</code>
                    </td>
                    <td className="c-wide">{s.ports.length > 0 ? s.ports.join(', ') : '—'}</td>
                  </tr>
                ))}
                {stack.services.length === 0 && (
                  <tr>
                    <td colSpan={6} className="muted">
                      No services (left over: the objects below).
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          {(
            [
              ['Networks', stack.networks.map((n) => `${n.name} (${n.driver}, ${n.scope})`)],
              ['Secrets', stack.secrets.map((s) => s.name)],
              ['Configs', stack.configs.map((c) => c.name)],
            ] as const
          ).map(([title, items]) => (
            <section
              key={title}
              aria-label={title}
              data-testid={`swarm-stack-${title.toLowerCase()}`}
            >
              <h2 className="section-heading">{title}</h2>
              {items.length === 0 ? (
                <p className="muted">None.</p>
              ) : (
                <ul className="plain object-names">
                  {items.map((item) => (
                    <li key={item}>
                      <code>{item}</code>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Remove ${name}?`}
        confirmLabel="Remove stack"
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          Its {countOf(stack?.services.length ?? 0, 'service')} stop and go, then its networks,
          secrets and configs (as <code>docker stack rm {name}</code>). Named volumes stay on the
          nodes.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
