import '../../styles/monitoring.css';
import { useState } from 'react';
import { RangePicker } from '../../components/charts/RangePicker.js';
import { RANGES, rangeById } from '../../components/charts/ranges.js';
import { ErrorNotice } from '../../components/ui.js';
import { IncidentList } from './IncidentList.js';
import { timelineMarks } from './incidents.js';
import { useIncidents } from './queries.js';

/**
 * A container's health history: a strip of what happened over the chosen range (a mark per
 * health change, exit, OOM kill, restart loop), then the list with times and reasons.
 */
export function HealthTimeline({ host, containerId }: { host: string; containerId: string }) {
  const [rangeId, setRangeId] = useState('24h');
  const range = rangeById(rangeId) ?? RANGES[1];
  const answer = useIncidents(host, containerId);
  const to = Date.now() / 1000;
  const from = to - range.seconds;
  const incidents = answer.data?.incidents ?? [];
  const marks = timelineMarks(incidents, from, to);
  const shown = marks.map((m) => m.incident);
  return (
    <section aria-label="Health history" data-testid="health-history">
      <div className="toolbar">
        <RangePicker
          groups={[{ label: 'History', choices: RANGES }]}
          value={range.id}
          onChange={setRangeId}
        />
        <span className="muted" role="status">
          {answer.data ? `${shown.length} in the last ${range.label}` : ''}
        </span>
      </div>
      <ErrorNotice error={answer.error} />
      <div
        className="timeline"
        role="img"
        aria-label={`Health timeline of the last ${range.label}: ${shown.length} events`}
      >
        {marks.map((m) => (
          <span
            key={m.incident.id}
            className={`timeline-mark timeline-${m.tone}`}
            style={{ left: `${m.left}%` }}
            title={`${m.label}: ${m.incident.reason}`}
          />
        ))}
        <span className="timeline-edge timeline-edge-start">{range.label} ago</span>
        <span className="timeline-edge timeline-edge-end">now</span>
      </div>
      {answer.data && (
        <IncidentList
          incidents={shown}
          withContainer={false}
          empty={`Nothing happened in the last ${range.label}.`}
          testId="health-events"
        />
      )}
    </section>
  );
}
