import '../../styles/monitoring.css';
import { Link } from 'react-router';
import { hostPath } from '../../app/host-paths.js';
import { longTime } from '../../components/time.js';
import { Badge } from '../../components/ui.js';
import { describeIncident, newestFirst, type Incident } from './incidents.js';

/** Incidents newest first: when, what (a badge), which container (on a host feed), why. */
export function IncidentList({
  incidents,
  withContainer,
  empty,
  testId,
}: {
  incidents: readonly Incident[];
  withContainer: boolean;
  empty: string;
  testId: string;
}) {
  if (incidents.length === 0)
    return (
      <p className="muted" data-testid={testId}>
        {empty}
      </p>
    );
  return (
    <ol className="plain incident-list" data-testid={testId}>
      {newestFirst(incidents).map((incident) => {
        const { label, tone } = describeIncident(incident);
        return (
          <li key={incident.id} className="incident">
            <time dateTime={incident.at} className="muted">
              {longTime.format(new Date(incident.at))}
            </time>
            <Badge tone={tone}>{label}</Badge>
            {withContainer && (
              <Link to={hostPath(incident.hostId, `containers/${incident.containerId}`)}>
                {incident.containerName}
              </Link>
            )}
            <span className="incident-reason">{incident.reason}</span>
          </li>
        );
      })}
    </ol>
  );
}
