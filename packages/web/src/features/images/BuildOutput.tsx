import type { BuildResult } from '@berth/contract';
import { useEffect, useRef } from 'react';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Badge } from '../../components/ui.js';

/** A build's state, its failed step, its log (following the newest line) and the command. */
export function BuildOutput({
  building,
  result,
  log,
}: {
  building: boolean;
  result: BuildResult | null;
  log: string[];
}) {
  const logBox = useRef<HTMLPreElement>(null);
  // Follow the newest line, as a terminal would.
  useEffect(() => {
    if (logBox.current) logBox.current.scrollTop = logBox.current.scrollHeight;
  }, [log]);
  return (
    <>
      <p role="status" data-testid="build-status">
        {building && <Badge tone="info">building…</Badge>}
        {result?.ok === true && (
          <>
            <Badge tone="good">built</Badge> {result.tags.join(', ')}{' '}
            <span className="muted">{result.imageId}</span>
          </>
        )}
        {result?.ok === false && <Badge tone="bad">failed</Badge>}
      </p>
      {result?.ok === false && (
        <div className="notice notice-bad" data-testid="build-failure">
          {result.failedStep && (
            <p>
              Failed at <code>{result.failedStep}</code>
            </p>
          )}
          <p>{result.error}</p>
        </div>
      )}
      {log.length > 0 && (
        <pre
          ref={logBox}
          className="progress build-log"
          data-testid="build-log"
          aria-label="Build log"
        >
          <code>{log.join('\n')}</code>
        </pre>
      )}
      <CommandBlock command={result?.cli} />
    </>
  );
}
