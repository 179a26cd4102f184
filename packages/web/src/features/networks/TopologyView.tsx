import type { Topology, TopologyNode } from '@berth/contract';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { HOST } from '../../app/Layout.js';

type Container = Extract<TopologyNode, { kind: 'container' }>;
type Network = Extract<TopologyNode, { kind: 'network' }>;

const LINE = 18;
const GAP = 10;
const NAME_CHARS = 24;

/** Long names are cut to fit their column; the full name is the element's title. */
function short(name: string): string {
  return name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS - 1)}…` : name;
}

/**
 * Lays the graph out so no two labels share a line: every container gets one line per network
 * it is on (its address label sits on that line, beside the container column), networks are
 * spaced evenly down the left, and containers on no network are listed apart below.
 */
export function layoutTopology(data: Topology) {
  // The engine's `none` network is the absence of one: its containers are grouped apart.
  const all = data.nodes.filter((n): n is Network => n.kind === 'network');
  const none = new Set(all.filter((n) => n.name === 'none').map((n) => n.id));
  const networks = all.filter((n) => !none.has(n.id));
  const containers = data.nodes.filter((n): n is Container => n.kind === 'container');
  const edgesOf = (id: string) => data.edges.filter((e) => e.from === id && !none.has(e.to));
  const connected = containers.filter((c) => edgesOf(c.id).length > 0);
  const loose = containers.filter((c) => edgesOf(c.id).length === 0);
  let y = GAP + LINE;
  const rows = connected.map((c) => {
    const lines = edgesOf(c.id).map((e, n) => ({ edge: e, y: y + n * LINE }));
    const row = { container: c, y, lines };
    y += lines.length * LINE + GAP;
    return row;
  });
  const graphHeight = Math.max(y, networks.length * (LINE + GAP) + GAP + LINE);
  const netStep = networks.length > 0 ? (graphHeight - GAP - LINE) / networks.length : 0;
  const netY = new Map(networks.map((n, i) => [n.id, GAP + LINE + i * netStep]));
  const looseTop = graphHeight + LINE;
  const height = loose.length > 0 ? looseTop + (loose.length + 1) * LINE + GAP : graphHeight;
  return { networks, rows, loose, netY, looseTop, height };
}

/** Networks and containers drawn as a graph: networks on the left, containers on the right. */
export function TopologyView() {
  const topology = useQuery({
    queryKey: keys.topology(HOST),
    queryFn: () => client.networks.topology({ params: { host: HOST } }),
  });
  if (!topology.data) return null;
  const { networks, rows, loose, netY, looseTop, height } = layoutTopology(topology.data);
  return (
    <svg
      className="topology"
      viewBox={`0 0 720 ${height}`}
      role="img"
      aria-label="Network topology"
      data-testid="topology"
    >
      {rows.flatMap((row) =>
        row.lines.map(({ edge, y }) => (
          <g key={`${edge.from}-${edge.to}`}>
            <line x1={190} y1={(netY.get(edge.to) ?? 0) - 4} x2={420} y2={y - 4} />
            <text x={425} y={y} className="ip">
              {edge.ip ?? '—'}
            </text>
          </g>
        )),
      )}
      {networks.map((n) => (
        <text key={n.id} x={180} y={netY.get(n.id)} textAnchor="end" className="net">
          <title>{n.name}</title>
          {short(n.name)}
        </text>
      ))}
      {rows.map((row) => (
        <text key={row.container.id} x={540} y={row.y} className="ctr">
          <title>{row.container.name}</title>
          {short(row.container.name)}
        </text>
      ))}
      {loose.length > 0 && (
        <g data-testid="topology-no-network">
          <line x1={10} y1={looseTop - LINE + 4} x2={710} y2={looseTop - LINE + 4} />
          <text x={10} y={looseTop} className="net">
            On no network
          </text>
          {loose.map((c, i) => (
            <text key={c.id} x={540} y={looseTop + (i + 1) * LINE} className="ctr">
              <title>{c.name}</title>
              {short(c.name)}
            </text>
          ))}
        </g>
      )}
    </svg>
  );
}
