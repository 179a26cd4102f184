import { BuildRequest, type BuildResult } from '@berth/contract';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, post } from '../../api/client.js';
import { onProgress } from '../../api/live.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Badge, Button, Card, ErrorNotice, Field } from '../../components/ui.js';

const MAX_SHOWN_LINES = 500;

/** "NAME=value" per line; blank lines are skipped, a line without "=" is an empty value. */
function parseBuildArgs(text: string): Record<string, string> {
  const args: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    if (at === -1) args[line.trim()] = '';
    else args[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return args;
}

/** Builds an image from a Dockerfile text: the log live from the host events, then the outcome. */
export function BuildImage() {
  const [dockerfile, setDockerfile] = useState('');
  const [tags, setTags] = useState('');
  const [buildArgs, setBuildArgs] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [log, setLog] = useState<string[]>([]);
  const [result, setResult] = useState<BuildResult | null>(null);
  const [building, setBuilding] = useState(false);
  const stopListening = useRef<(() => void) | null>(null);
  const logBox = useRef<HTMLPreElement>(null);
  useEffect(() => () => stopListening.current?.(), []);
  // Follow the newest line, as a terminal would.
  useEffect(() => {
    if (logBox.current) logBox.current.scrollTop = logBox.current.scrollHeight;
  }, [log]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    const parsed = BuildRequest.safeParse({
      dockerfile,
      tags: tags.split(/[\s,]+/).filter(Boolean),
      buildArgs: parseBuildArgs(buildArgs),
    });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    setResult(null);
    setLog([]);
    setBuilding(true);
    // The server names a build's progress after its first tag.
    const subject = parsed.data.tags[0];
    stopListening.current = onProgress((p) => {
      if (p.operation === 'build' && p.subject === subject)
        setLog((old) => [...old.slice(-(MAX_SHOWN_LINES - 1)), p.status]);
    });
    try {
      const built = await post<BuildResult>(`/api/hosts/${HOST}/images/build`, parsed.data);
      // The answer carries the whole log: it fills in whatever the live stream missed.
      setLog(built.log.slice(-MAX_SHOWN_LINES));
      setResult(built);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    } finally {
      stopListening.current?.();
      stopListening.current = null;
      setBuilding(false);
    }
  };

  return (
    <Card title="Build">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="build-dockerfile">Dockerfile</label>
          <textarea
            id="build-dockerfile"
            rows={6}
            value={dockerfile}
            onChange={(e) => setDockerfile(e.target.value)}
            placeholder={'FROM alpine:3\nRUN echo hello > /hello.txt\nCMD ["sh"]'}
            aria-invalid={errors.dockerfile ? true : undefined}
            aria-describedby={errors.dockerfile ? 'build-dockerfile-error' : undefined}
            spellCheck={false}
          />
          {errors.dockerfile && (
            <small id="build-dockerfile-error" className="field-error" role="alert">
              {errors.dockerfile}
            </small>
          )}
        </div>
        <Field
          label="Tags (separated by spaces)"
          value={tags}
          onChange={(e) => setTags(e.target.value)}
          error={errors.tags}
          placeholder="myapp:1.0 myapp:latest"
        />
        <div className="field">
          <label htmlFor="build-args">Build arguments (NAME=value per line)</label>
          <textarea
            id="build-args"
            rows={2}
            value={buildArgs}
            onChange={(e) => setBuildArgs(e.target.value)}
            aria-invalid={errors.buildArgs ? true : undefined}
            spellCheck={false}
          />
          {errors.buildArgs && (
            <small className="field-error" role="alert">
              {errors.buildArgs}
            </small>
          )}
        </div>
        <Button type="submit" variant="primary" disabled={building}>
          Build
        </Button>
      </form>
      <ErrorNotice error={failure} />
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
    </Card>
  );
}
