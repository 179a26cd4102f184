import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useFleet } from '../../api/fleet.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ErrorNotice, Page } from '../../components/ui.js';
import { HostCard } from './HostCard.js';
import { HostDetails } from './HostDetails.js';
import { hostsLabelled, labelsOf, totalsOf } from './fleet-totals.js';
import '../../styles/fleet.css';

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <span className="stat-value" data-testid={testId}>
        {value}
      </span>
      <span className="stat-label muted">{label}</span>
    </div>
  );
}

/** Hosts carrying any of the chosen labels; every host when none is chosen. */
function LabelChips({
  labels,
  chosen,
  onChange,
}: {
  labels: string[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
}) {
  if (labels.length === 0) return null;
  return (
    <div className="chips" role="group" aria-label="Filter hosts by label">
      <span className="muted" aria-hidden>
        Labels
      </span>
      {labels.map((label) => {
        const on = chosen.includes(label);
        return (
          <button
            key={label}
            type="button"
            className={`chip${on ? ' chip-on' : ''}`}
            aria-pressed={on}
            onClick={() => onChange(on ? chosen.filter((l) => l !== label) : [...chosen, label])}
          >
            {label}
          </button>
        );
      })}
    </div>
  );
}

/**
 * Every host the user may see at a glance, from one fleet answer: totals, then a card per host
 * (an unreachable one says why, since when, and how old its numbers are), then the details of
 * the current host. Kept live by the current host's events; while a host is down, the fleet is
 * read again on a modest interval to see it come back.
 */
export function DashboardPage() {
  const fleet = useFleet();
  const current = useCurrentHost();
  const [chosen, setChosen] = useState<string[]>([]);
  const hosts = useMemo(() => fleet.data?.hosts ?? [], [fleet.data]);
  const labels = useMemo(() => labelsOf(hosts), [hosts]);
  const shown = hostsLabelled(hosts, chosen);
  const totals = chosen.length === 0 ? fleet.data?.totals : totalsOf(shown);
  const detailed = hosts.find((h) => h.id === current) ?? hosts[0];
  const known = (n: number | undefined): string => (n === undefined ? '…' : String(n));

  return (
    <Page
      title="Dashboard"
      actions={hosts.length > 1 && <Link to="/fleet/containers">All hosts' containers</Link>}
    >
      <ErrorNotice error={fleet.error} />
      <div className="stats" aria-label="Totals" role="group">
        <Stat
          label={
            totals && totals.reachable < totals.hosts
              ? `hosts, ${totals.hosts - totals.reachable} unreachable`
              : totals?.hosts === 1
                ? 'host'
                : 'hosts'
          }
          value={known(totals?.hosts)}
          testId="host-count"
        />
        {/* Not "0" while the fleet is still on its way. */}
        <Stat label="containers" value={known(totals?.containers)} testId="container-count" />
        <Stat label="running" value={known(totals?.running)} testId="running-count" />
        <Stat label="unhealthy" value={known(totals?.unhealthy)} />
        <Stat label="image updates" value={known(totals?.updates)} />
      </div>
      <LabelChips labels={labels} chosen={chosen} onChange={setChosen} />
      <div className="grid host-cards">
        {shown.map((h) => (
          <HostCard key={h.id} host={h} />
        ))}
      </div>
      {detailed && (
        <HostDetails
          key={detailed.id}
          host={detailed.id}
          title={hosts.length > 1 ? `On ${detailed.name}` : 'On this host'}
        />
      )}
    </Page>
  );
}
