import { diffLines } from 'diff';

/** One file's change as lines: added, removed, or the same (a few around each change). */
function FileDiff({ path, before, after }: { path: string; before: string; after: string }) {
  const parts = diffLines(before, after);
  return (
    <figure className="diff" data-testid="diff-file" data-path={path}>
      <figcaption>
        <code>{path}</code>
        {before === '' && after !== '' && <span className="muted"> (added since)</span>}
        {after === '' && before !== '' && <span className="muted"> (removed since)</span>}
      </figcaption>
      <pre tabIndex={0} aria-label={`Changes to ${path}`}>
        {parts.flatMap((part, i) => {
          const kind = part.added ? 'add' : part.removed ? 'del' : 'same';
          const sign = part.added ? '+' : part.removed ? '-' : ' ';
          const lines = part.value.replace(/\n$/, '').split('\n');
          return lines.map((line, j) => (
            <span key={`${i}:${j}`} className={`diff-line diff-${kind}`} data-kind={kind}>
              {sign} {line}
              {'\n'}
            </span>
          ));
        })}
      </pre>
    </figure>
  );
}

/** The files of a version against the current ones; unchanged files are only named. */
export default function HistoryDiff({
  before,
  after,
}: {
  before: Record<string, string>;
  after: Record<string, string>;
}) {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const same = paths.filter((p) => before[p] === after[p]);
  const changed = paths.filter((p) => before[p] !== after[p]);
  return (
    <div data-testid="history-diff">
      {changed.length === 0 && <p className="muted">No difference: the files are the same.</p>}
      {changed.map((p) => (
        <FileDiff key={p} path={p} before={before[p] ?? ''} after={after[p] ?? ''} />
      ))}
      {same.length > 0 && <p className="muted">Unchanged: {same.join(', ')}</p>}
    </div>
  );
}
