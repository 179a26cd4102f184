import type { ContainerCreated } from '@berth/contract';
import { Link } from 'react-router';
import { CommandBlock } from '../../../components/CommandBlock.js';
import { Badge, Page } from '../../../components/ui.js';
import { hostPath, useCurrentHost } from '../../../app/host-paths.js';

/** After a create or an edit: did it start and stay up, what it printed when it did not. */
export function CreatedResult({ result, verb }: { result: ContainerCreated; verb: string }) {
  const host = useCurrentHost();
  const v = result.validation;
  return (
    <Page title={`${verb} ${result.container.name}`}>
      <p data-testid="validation">
        {v ? (
          <Badge tone={v.ok ? 'good' : 'bad'}>{v.ok ? 'started' : 'failed to start'}</Badge>
        ) : (
          <Badge>not started</Badge>
        )}{' '}
        {v?.message}
      </p>
      {v && !v.ok && v.logs.length > 0 && (
        <pre className="logs" aria-label="Last output">
          <code>{v.logs.join('\n')}</code>
        </pre>
      )}
      {result.warnings.map((w) => (
        <p key={w} className="notice">
          {w}
        </p>
      ))}
      <CommandBlock command={result.cli} />
      <Link className="btn btn-primary" to={hostPath(host, `containers/${result.container.id}`)}>
        Open {result.container.name}
      </Link>
    </Page>
  );
}
