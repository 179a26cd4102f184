import { Badge } from '../../components/ui.js';

/** What an edit hands the new container's page: how the recreate went. */
export interface SavedLanding {
  cli: string;
  started: boolean | null;
  message: string;
  warnings: string[];
}

export function SavedNotice({ saved }: { saved: SavedLanding }) {
  return (
    <div className="notice" role="status">
      <p data-testid="validation">
        Saved and recreated:{' '}
        {saved.started === null ? (
          <Badge>not started</Badge>
        ) : (
          <Badge tone={saved.started ? 'good' : 'bad'}>
            {saved.started ? 'started' : 'failed to start'}
          </Badge>
        )}{' '}
        {saved.message}
      </p>
      {saved.warnings.map((w) => (
        <p key={w}>{w}</p>
      ))}
    </div>
  );
}
