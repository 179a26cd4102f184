import type { ServiceSummary } from '@berth/contract';
import { MoreHorizontal } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { client } from '../../api/client.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Menu } from '../../components/Menu.js';
import { Badge, Button, EmptyRow, ErrorNotice, Page } from '../../components/ui.js';
import '../../styles/resource-list.css';
import './services.css';
import { OutcomeNotice, useOutcome } from './useOutcome.js';
import { CreateServiceDialog } from './CreateService.js';
import { ScaleDialog, type ServiceOutcome } from './ServiceDialogs.js';
import { swarmTone, useServices } from './service-queries.js';
import { portText, updateText } from './service-text.js';

/** Swarm services of the host (a manager): list first, create, scale and remove per row. */
export default function ServicesPage() {
  const host = useCurrentHost();
  const services = useServices(host);
  const { canWrite, outcome, actionError, setActionError, record } = useOutcome(host);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [scaling, setScaling] = useState<ServiceSummary | null>(null);
  const [removing, setRemoving] = useState<ServiceSummary[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const done = (result: ServiceOutcome): void => {
    setCreating(false);
    setScaling(null);
    record(result);
  };
  const all = useMemo(() => services.data ?? [], [services.data]);
  const rows = all.filter((s) => {
    const q = search.trim().toLowerCase();
    return (
      !q || s.name.toLowerCase().includes(q) || s.image.includes(q) || (s.stack ?? '').includes(q)
    );
  });
  const toggle = (id: string): void =>
    setSelected((was) => {
      const next = new Set(was);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const chosen = rows.filter((s) => selected.has(s.id));
  /** Removes one or several, each on its own: a failure is reported for that service only. */
  const remove = async (list: ServiceSummary[]): Promise<void> => {
    setRemoving([]);
    const removed: string[] = [];
    const failed: string[] = [];
    const clis: string[] = [];
    for (const s of list) {
      try {
        clis.push((await client.services.remove({ params: { host, id: s.id } })).cli);
        removed.push(s.name);
      } catch (err) {
        failed.push(`${s.name} (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    setSelected(new Set());
    done({
      message: [
        removed.length > 0 ? `Removed ${removed.join(', ')}.` : '',
        failed.length > 0 ? `Could not remove ${failed.join(', ')}.` : '',
      ].join(' '),
      cli: clis.join('\n'),
    });
    if (failed.length > 0) setActionError(new Error(`Could not remove ${failed.join(', ')}`));
  };

  return (
    <Page
      title="Services"
      actions={
        canWrite && (
          <>
            {chosen.length > 0 && (
              <Button variant="danger" onClick={() => setRemoving(chosen)}>
                Remove {chosen.length} selected
              </Button>
            )}
            <Button variant="primary" onClick={() => setCreating(true)}>
              Create service
            </Button>
          </>
        )
      }
    >
      <div className="filters" role="search">
        <input
          type="search"
          className="list-search"
          placeholder="Search name, image, stack"
          aria-label="Search services"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <OutcomeNotice outcome={outcome} testId="services-outcome" />
      <ErrorNotice error={actionError ?? services.error} />
      <div className="list-scroll">
        <table className="list" aria-label="Services" data-testid="service-list">
          <thead>
            <tr>
              {canWrite && (
                <th scope="col" className="c-actions">
                  <input
                    type="checkbox"
                    aria-label="Select every service shown"
                    checked={rows.length > 0 && chosen.length === rows.length}
                    onChange={(e) =>
                      setSelected(new Set(e.target.checked ? rows.map((s) => s.id) : []))
                    }
                  />
                </th>
              )}
              <th scope="col">Name</th>
              <th scope="col">Mode</th>
              <th scope="col">Tasks</th>
              <th scope="col" className="c-wide">
                Image
              </th>
              <th scope="col" className="c-wide">
                Ports
              </th>
              <th scope="col">Update</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <EmptyRow
                columns={canWrite ? 8 : 7}
                total={all.length}
                none={services.isLoading ? 'Loading…' : 'No services.'}
                noMatch="No service matches the search."
              />
            )}
            {rows.map((s) => (
              <tr key={s.id} data-testid="service-row" data-name={s.name}>
                {canWrite && (
                  <td className="c-actions">
                    <input
                      type="checkbox"
                      aria-label={`Select ${s.name}`}
                      checked={selected.has(s.id)}
                      onChange={() => toggle(s.id)}
                    />
                  </td>
                )}
                <th scope="row">
                  <Link to={hostPath(host, `services/${s.name}`)}>{s.name}</Link>{' '}
                  {s.stack && <Badge tone="info">stack {s.stack}</Badge>}
                </th>
                <td>{s.mode === 'global' ? 'global' : `replicated ${s.replicas ?? 0}`}</td>
                <td>
                  <Badge tone={s.running === s.desired ? 'good' : 'warn'}>
                    {s.running}/{s.desired}
                  </Badge>
                </td>
                <td className="c-wide">
                  <code>{s.image.replace(/@sha256:[0-9a-f]+$/, '')}</code>
                </td>
                <td className="c-wide">
                  {s.ports.map(portText).join(', ') || <span className="muted">none</span>}
                </td>
                <td>
                  <Badge tone={s.update ? swarmTone(s.update.state) : 'neutral'}>
                    {updateText(s.update)}
                  </Badge>
                </td>
                <td className="c-actions">
                  <Menu
                    label={`Actions for ${s.name}`}
                    trigger={<MoreHorizontal size={16} aria-hidden />}
                    items={[
                      ...(canWrite && s.mode === 'replicated'
                        ? [{ label: 'Scale…', onSelect: () => setScaling(s) }]
                        : []),
                      ...(canWrite
                        ? [{ label: 'Remove…', danger: true, onSelect: () => setRemoving([s]) }]
                        : []),
                    ]}
                    disabled={!canWrite}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {creating && <CreateServiceDialog onClose={() => setCreating(false)} onDone={done} />}
      {scaling && <ScaleDialog service={scaling} onClose={() => setScaling(null)} onDone={done} />}
      <ConfirmDialog
        open={removing.length > 0}
        title={`Remove ${removing.length === 1 ? (removing[0]?.name ?? '') : `${removing.length} services`}?`}
        confirmLabel="Remove"
        onConfirm={() => void remove(removing)}
        onCancel={() => setRemoving([])}
      >
        {removing.length > 1 && <p>{removing.map((s) => s.name).join(', ')}</p>}
        Their tasks stop and their containers are removed on every node.
        <CommandBlock command={`docker service rm ${removing.map((s) => s.name).join(' ')}`} />
      </ConfirmDialog>
    </Page>
  );
}
