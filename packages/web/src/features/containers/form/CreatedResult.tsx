import type { ContainerCreated, PortConflict } from '@berth/contract';
import { portConflictErrors, type PortRow } from './container-draft.js';
import { Link } from 'react-router';
import { CommandBlock } from '../../../components/CommandBlock.js';
import { Badge, Page } from '../../../components/ui.js';

/** After a create or an edit: did it start and stay up, what it printed when it did not. */
export function CreatedResult({ result, verb }: { result: ContainerCreated; verb: string }) {
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
      <Link className="btn btn-primary" to={`/containers/${result.container.id}`}>
        Open {result.container.name}
      </Link>
    </Page>
  );
}

/** Field messages for an API refusal: the schema's, or the port a running container holds. */
export function refusalFields(
  error: { code: string; details?: unknown; fieldErrors: () => Record<string, string> },
  ports: PortRow[],
): Record<string, string> {
  const fields = error.fieldErrors();
  if (error.code === 'name_taken') fields.name = 'a container with this name exists on this host';
  const conflicts = (error.details as { conflicts?: PortConflict[] } | undefined)?.conflicts ?? [];
  return { ...fields, ...portConflictErrors(ports, conflicts) };
}
