import type { Topology, TopologyNode } from '@berth/contract';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';

type Container = Extract<TopologyNode, { kind: 'container' }>;
type Network = Extract<TopologyNode, { kind: 'network' }>;

const LINE = 18;
const GAP = 10;
const NAME_CHARS = 24;
const IP_CHARS = 18;
/**
 * Labels are set in a 12px monospace font (panels.css), whose glyphs are 0.6em wide: a column
 * of n characters is at most n × CHAR wide (with room to spare), so columns placed that far apart
 * can never overlap, whatever the names.
 */
const CHAR = 7.8;
const NET_X = 10;
const EDGE_FROM = NET_X + NAME_CHARS * CHAR + 8;
const IP_X = EDGE_FROM + 220;
const CTR_X = IP_X + IP_CHARS * CHAR + 12;
const WIDTH = CTR_X + NAME_CHARS * CHAR + 10;
const LOOSE_COLUMNS = Math.floor((WIDTH - NET_X) / (NAME_CHARS * CHAR + 20));
const LOOSE_STEP = (WIDTH - NET_X) / LOOSE_COLUMNS;

/**
 * Long names are cut in the middle to fit their column, keeping the end that often tells them
 * apart ("web-1", "web-2"); the full name is the element's title.
 */
function short(name: string, chars = NAME_CHARS): string {
  if (name.length <= chars) return name;
  const tail = Math.floor((chars - 1) / 2);
  return `${name.slice(0, chars - 1 - tail)}…${name.slice(name.length - tail)}`;
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
  const looseRows = Math.ceil(loose.length / LOOSE_COLUMNS);
  const height = loose.length > 0 ? looseTop + (looseRows + 1) * LINE + GAP : graphHeight;
  return { networks, rows, loose, netY, looseTop, height };
}

/**
 * Networks and containers drawn as a graph: networks on the left, containers on the right, each
 * edge labelled with the container's address; containers on no network are listed apart below.
 */
export function TopologyView() {
  const host = useCurrentHost();
  const topology = useQuery({
    queryKey: keys.topology(host),
    queryFn: () => client.networks.topology({ params: { host } }),
  });
  if (!topology.data) return null;
  const { networks, rows, loose, netY, looseTop, height } = layoutTopology(topology.data);
  return (
    // Focusable, so that a keyboard can scroll it sideways on a narrow screen.
    <div className="topology-scroll" tabIndex={0} role="region" aria-label="Topology graph">
      <svg
        className="topology"
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label="Network topology"
        data-testid="topology"
      >
        {rows.flatMap((row) =>
          row.lines.map(({ edge, y }) => (
            <g key={`${edge.from}-${edge.to}`}>
              <line x1={EDGE_FROM} y1={(netY.get(edge.to) ?? 0) - 4} x2={IP_X - 4} y2={y - 4} />
              <text x={IP_X} y={y} className="ip">
                {edge.ip && <title>{edge.ip}</title>}
                {short(edge.ip ?? '—', IP_CHARS)}
              </text>
            </g>
          )),
        )}
        {networks.map((n) => (
          <text key={n.id} x={NET_X} y={netY.get(n.id)} className="net">
            <title>{n.name}</title>
            {short(n.name)}
          </text>
        ))}
        {rows.map((row) => (
          <text key={row.container.id} x={CTR_X} y={row.y} className="ctr">
            <title>{row.container.name}</title>
            {short(row.container.name)}
          </text>
        ))}
        {loose.length > 0 && (
          <g data-testid="topology-no-network">
            <line x1={NET_X} y1={looseTop - LINE + 4} x2={WIDTH - NET_X} y2={looseTop - LINE + 4} />
            <text x={NET_X} y={looseTop} className="net">
              On no network
            </text>
            {loose.map((c, i) => (
              <text
                key={c.id}
                x={NET_X + (i % LOOSE_COLUMNS) * LOOSE_STEP}
                y={looseTop + (Math.floor(i / LOOSE_COLUMNS) + 1) * LINE}
                className="ctr"
              >
                <title>{c.name}</title>
                {short(c.name)}
              </text>
            ))}
          </g>
        )}
      </svg>
    </div>
  );
}
