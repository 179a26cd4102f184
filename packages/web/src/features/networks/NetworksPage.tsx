import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { keys, useMe, useNetworks } from '../../api/queries.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { StaleNotice } from '../../components/StaleNotice.js';
import { Badge, Button, Card, ErrorNotice, Field, Page } from '../../components/ui.js';
import { NetworkAddresses } from './NetworkAddresses.js';
import { NetworkPrune, NetworkRemove, type NetworkOutcome } from './NetworkRemoval.js';
import { TopologyView } from './TopologyView.js';

const NetworkDocument = lazy(() => import('./NetworkDocument.js'));

/** Networks: ranges, members, reservations, oversize warnings, create with a suggested subnet, topology. */
export default function NetworksPage() {
  const networks = useNetworks(HOST);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [form, setForm] = useState({ name: '', subnet: '', expected: '10' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [cli, setCli] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<NetworkOutcome | null>(null);
  const [showDocument, setShowDocument] = useState(false);
  const queryClient = useQueryClient();
  const done = (result: NetworkOutcome): void => {
    setActionError(null);
    setOutcome(result);
    void queryClient.invalidateQueries({ queryKey: keys.networks(HOST) });
  };
  const documentUrl = client.networks.document.url({ params: { host: HOST } });

  const suggest = async (): Promise<void> => {
    const s = await client.networks.suggestSubnet({
      params: { host: HOST },
      query: { expectedContainers: form.expected },
    });
    setForm({ ...form, subnet: s.subnet ?? '' });
  };
  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    try {
      const created = await client.networks.create({
        params: { host: HOST },
        body: { name: form.name, ...(form.subnet ? { subnet: form.subnet } : {}) },
      });
      setCli(created.cli);
      setErrors({});
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    }
  };

  return (
    <Page
      title="Networks"
      actions={
        <>
          {canWrite && <NetworkPrune onDone={done} onError={setActionError} />}
          <Button aria-expanded={showDocument} onClick={() => setShowDocument(!showDocument)}>
            {showDocument ? 'Hide network document' : 'Show network document'}
          </Button>
          <a className="btn" href={documentUrl} download={`networks-${HOST}.md`}>
            Download Markdown
          </a>
        </>
      }
    >
      {canWrite && (
        <Card title="Create network">
          <form onSubmit={(e) => void create(e)} className="form">
            <Field
              label="Network name"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              error={errors.name}
            />
            <div className="toolbar">
              <Field
                label="Expected containers"
                inputMode="numeric"
                value={form.expected}
                onChange={(e) => setForm({ ...form, expected: e.target.value })}
              />
              <Button onClick={() => void suggest()}>Suggest subnet</Button>
            </div>
            <Field
              label="Subnet"
              value={form.subnet}
              onChange={(e) => setForm({ ...form, subnet: e.target.value })}
              error={errors.subnet}
              placeholder="172.20.0.0/24"
            />
            <ErrorNotice error={failure} />
            <Button type="submit" variant="primary">
              Create network
            </Button>
          </form>
          <CommandBlock command={cli} />
        </Card>
      )}
      {showDocument && (
        <Card title="Network document">
          <Suspense fallback={<p className="muted">Loading…</p>}>
            <NetworkDocument />
          </Suspense>
        </Card>
      )}
      {outcome && (
        <div className="notice" role="status" data-testid="networks-outcome">
          {outcome.message}
          <CommandBlock command={outcome.cli} />
        </div>
      )}
      <ErrorNotice error={actionError ?? networks.error} />
      <StaleNotice kind="networks" host={HOST} />
      <div className="grid">
        {(networks.data ?? []).map((n) => (
          <Card
            key={n.id}
            title={n.name}
            actions={
              canWrite &&
              !n.builtIn && <NetworkRemove network={n} onDone={done} onError={setActionError} />
            }
          >
            <p>
              <Badge>{n.driver}</Badge> {n.builtIn && <Badge>built-in</Badge>}{' '}
              {n.internal && <Badge tone="warn">internal</Badge>}{' '}
              {n.oversized && (
                <Badge tone="warn">oversized: /{n.oversized.suggestedPrefix} would do</Badge>
              )}
            </p>
            {n.oversized && <p className="muted">{n.oversized.reason}</p>}
            <p>
              {n.subnets
                .map((s) => `${s.subnet}${s.gateway ? ` via ${s.gateway}` : ''}`)
                .join(', ') || 'no IPv4 range'}
            </p>
            {canWrite && !n.builtIn && <NetworkAddresses network={n} />}
            <p className="muted">
              {n.members.length} containers
              {n.reservations.length > 0 ? `, ${n.reservations.length} reserved addresses` : ''}
            </p>
          </Card>
        ))}
      </div>
      <Card title="Topology">
        <TopologyView />
      </Card>
    </Page>
  );
}
