import { ErrorNotice } from '../../components/ui.js';
import { IncidentList } from './IncidentList.js';
import { useIncidents } from './queries.js';

/** The host's "what broke" feed: every container's incidents, newest first. */
export function IncidentFeed({ host }: { host: string }) {
  const answer = useIncidents(host, null);
  return (
    <section aria-labelledby="what-broke" data-testid="incident-feed" className="incident-feed">
      <h2 id="what-broke" className="section-title">
        What broke
      </h2>
      <ErrorNotice error={answer.error} />
      {answer.data && (
        <div className="incident-scroll" tabIndex={0} role="region" aria-label="Incidents">
          <IncidentList
            incidents={answer.data.incidents}
            withContainer
            empty="Nothing broke: no exits, OOM kills, restart loops or failed health checks."
            testId="incidents"
          />
        </div>
      )}
    </section>
  );
}
