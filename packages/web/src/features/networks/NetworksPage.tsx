import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { keys, useMe, useNetworks } from '../../api/queries.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { StaleNotice } from '../../components/StaleNotice.js';
import { Badge, Button, Card, ErrorNotice, Field, Page } from '../../components/ui.js';
import { NetworkAddresses } from './NetworkAddresses.js';

/** Networks and containers drawn as a graph: networks on the left, containers on the right. */
function TopologyView() {
  const topology = useQuery({
    queryKey: keys.topology(HOST),
    queryFn: () => client.networks.topology({ params: { host: HOST } }),
  });
  const nodes = topology.data?.nodes ?? [];
  const networks = nodes.filter((n) => n.kind === 'network');
  const containers = nodes.filter((n) => n.kind === 'container');
  const rowH = 34;
  const height = Math.max(networks.length, containers.length) * rowH + 20;
  const y = (list: typeof nodes, id: string) => list.findIndex((n) => n.id === id) * rowH + 24;
  return (
    <svg
      className="topology"
      viewBox={`0 0 640 ${height}`}
      role="img"
      aria-label="Network topology"
      data-testid="topology"
    >
      {(topology.data?.edges ?? []).map((e) => (
        <g key={`${e.from}-${e.to}`}>
          <line x1={180} y1={y(networks, e.to)} x2={440} y2={y(containers, e.from)} />
          <text x={310} y={(y(networks, e.to) + y(containers, e.from)) / 2 - 3} textAnchor="middle">
            {e.ip ?? ''}
          </text>
        </g>
      ))}
      {networks.map((n, i) => (
        <text key={n.id} x={170} y={i * rowH + 28} textAnchor="end" className="net">
          {n.name}
        </text>
      ))}
      {containers.map((c, i) => (
        <text key={c.id} x={450} y={i * rowH + 28} className="ctr">
          {c.name}
        </text>
      ))}
    </svg>
  );
}

/** Networks: ranges, members, reservations, oversize warnings, create with a suggested subnet, topology. */
export default function NetworksPage() {
  const networks = useNetworks(HOST);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [form, setForm] = useState({ name: '', subnet: '', expected: '10' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [cli, setCli] = useState<string | null>(null);

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
        <a className="btn" href={client.networks.document.url({ params: { host: HOST } })}>
          Network document
        </a>
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
      <ErrorNotice error={networks.error} />
      <StaleNotice kind="networks" host={HOST} />
      <div className="grid">
        {(networks.data ?? []).map((n) => (
          <Card key={n.id} title={n.name}>
            <p>
              <Badge>{n.driver}</Badge> {n.builtIn && <Badge>built-in</Badge>}{' '}
              {n.internal && <Badge tone="warn">internal</Badge>}{' '}
              {n.oversized && (
                <Badge tone="warn">oversized: /{n.oversized.suggestedPrefix} would do</Badge>
              )}
            </p>
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
